using System.Text.Json;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// OCI Distribution: deletes exactly one tag, by the spec 1.1 tag delete where the registry has it, otherwise by
/// re-pointing the tags of one repository at a throw-away manifest unique to their batch and deleting that digest
/// (OciClient.Deletion.cs, OciClient.UntagBatch.cs). This file lists repositories and tags; OciImageReader reads
/// and dates manifests.
/// </summary>
public sealed partial class OciClient(string name, Uri endpoint, RegistryHttp http, TimeProvider time, UntagBatchOptions untagBatch) : IRegistryClient, IImageContents, IReadingTagDelete
{
    private readonly RegistryApi<OciError> _api = new(name, endpoint, http, new OciAnswers(name));
    private readonly OciImageReader _reader = new(name, BaseUri.Of(endpoint), http);
    private Uri _base => _api.Base;

    /// <summary>Manifest-level calls for restore and reclaim, through this client's limits and credentials.</summary>
    public OciManifests Manifests => _manifests ??= new OciManifests(name, endpoint, http, _reader, ListTagNamesAsync);
    private OciManifests? _manifests;

    public static OciClient Create(string name, RegistryOptions o, Resilience.RegistryLimits limits, RetryOptions retry, IHttpClientFactory clients, TimeProvider time) =>
        new(name, new Uri(o.Endpoint!),
            new RegistryHttp(name, clients, new OciAuthenticator(clients, RegistryHttp.ClientName(name), o.Username, o.Password), limits, retry), time, o.UntagBatch);

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Oci;

    public string? ValidateRepository(string repository) => OciGrammar.RepositoryError(repository);

    public string? ValidateTag(string tag) => OciGrammar.TagError(tag);

    /// <summary>Every tag of a repository, following <c>Link</c> paging when the registry pages; null when the repository is unknown.</summary>
    public Task<List<string>?> ListTagNamesAsync(string repository, OperationAttempts attempts, CancellationToken ct) =>
        _api.ReadAllPagesAsync(_api.Uri($"v2/{repository}/tags/list?n=1000"), $"the tag list of {repository}",
            async (response, page, ct) => new ListPage<string>(await OciListing.ReadTagsAsync(response, ct), _ => OciListing.NextLink(response, page)),
            key: null, "an OCI tag list", attempts, ct);

    public async IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Uri? next = _api.Uri("v2/_catalog?n=1000");
        while (next is not null)
        {
            var page = next;
            using var response = await http.SendAsync(() => new(HttpMethod.Get, page), attempts, ct);
            if (!OciAnswers.IsSuccess(response))
                throw OciAnswers.Failure(name, "the repository catalog (some hosted registries disable it: name the repositories in the policy instead)", response, await OciError.ReadAsync(response, ct));
            foreach (var repository in await ReadCatalogPageAsync(response, ct))
                yield return repository;
            next = OciListing.NextLink(response, page);
            if (next == page)
                throw new RegistryFailureException(FailureKind.RegistryError, null, $"Registry '{name}' answered the repository catalog with a next page that is the same page; the listing stops rather than loop.");
        }
    }

    private async Task<IReadOnlyList<string>> ReadCatalogPageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await OciListing.ReadRepositoriesAsync(response, ct);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new RegistryFailureException(FailureKind.Misconfigured, (int)response.StatusCode,
                $"Registry '{name}' answered the repository catalog with a body that is not an OCI catalog ({e.GetType().Name}); check Registries:{name}:Endpoint.");
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

    private Uri Manifest(string repository, string reference) => _api.Uri($"v2/{repository}/manifests/{reference}");
}
