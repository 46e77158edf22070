using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// OCI Distribution: deletes exactly one tag, by the spec 1.1 tag delete where the registry has it, otherwise by
/// re-pointing the tags of one repository at a throw-away manifest unique to their batch and deleting that digest
/// (OciClient.Deletion.cs, OciClient.UntagBatch.cs). This file lists repositories and tags; OciImageReader reads
/// and dates manifests.
/// </summary>
public sealed partial class OciClient(string name, Uri endpoint, RegistryHttp http, TimeProvider time, UntagBatchOptions untagBatch) : IRegistryClient, IImageContents
{
    private readonly Uri _base = OciImageReader.BaseOf(endpoint);
    private readonly OciImageReader _reader = new(name, OciImageReader.BaseOf(endpoint), http);

    /// <summary>Manifest-level calls for restore and reclaim, through this client's limits and credentials.</summary>
    public OciManifests Manifests => _manifests ??= new OciManifests(name, endpoint, http, ListTagNamesAsync);
    private OciManifests? _manifests;

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Oci;

    public string? ValidateRepository(string repository) => NameRules.IsOciRepository(repository) ? null
        : "Repository must follow the OCI grammar: lowercase letters and digits, separated by '.', '_', '__', '-' or '/', at most 255 characters.";

    public string? ValidateTag(string tag) => NameRules.IsOciTag(tag) ? null
        : "Tag must follow the OCI grammar: a letter, digit or '_', then up to 127 letters, digits, '_', '.' or '-'.";

    /// <summary>Every tag of a repository, following <c>Link</c> paging when the registry pages; null when the repository is unknown.</summary>
    public async Task<List<string>?> ListTagNamesAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        var tags = new List<string>();
        Uri? next = new(_base, $"v2/{repository}/tags/list?n=1000");
        while (next is not null)
        {
            var page = next;
            using var response = await http.SendAsync(() => new(HttpMethod.Get, page), attempts, ct);
            if (!OciAnswers.IsSuccess(response))
            {
                var error = await OciError.ReadAsync(response, ct);
                if (OciAnswers.IsApiNotFound(response, error))
                    return null;
                throw OciAnswers.Failure(name, $"the tag list of {repository}", response, error);
            }
            tags.AddRange(await TagListPage.ReadTagsAsync(response, ct));
            next = TagListPage.NextLink(response, page);
        }
        return tags;
    }

    public async IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Uri? next = new(_base, "v2/_catalog?n=1000");
        while (next is not null)
        {
            var page = next;
            using var response = await http.SendAsync(() => new(HttpMethod.Get, page), attempts, ct);
            if (!OciAnswers.IsSuccess(response))
                throw OciAnswers.Failure(name, "the repository catalog (some hosted registries disable it: name the repositories in the policy instead)", response, await OciError.ReadAsync(response, ct));
            foreach (var repository in await OciListing.ReadRepositoriesAsync(response, ct))
                yield return repository;
            next = TagListPage.NextLink(response, page);
        }
    }

    public async Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        var names = await ListTagNamesAsync(repository, attempts, ct);
        return names is null ? null : await _reader.DateTagsAsync(repository, names, attempts, ct);
    }

    public Task<ManifestParts?> ManifestPartsAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct) =>
        _reader.ManifestPartsAsync(repository, digest, attempts, ct);

    private Task<OciManifest?> GetManifestAsync(string repository, string reference, OperationAttempts attempts, CancellationToken ct) =>
        _reader.GetManifestAsync(repository, reference, attempts, ct);

    private Uri Manifest(string repository, string reference) => new(_base, $"v2/{repository}/manifests/{reference}");
}
