using System.Text.Json;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Registries.Http.Signing;

namespace RegistryCleaner.Worker.Registries.Ncr;

/// <summary>
/// NAVER Cloud Container Registry (API v2 under the configured base URL). The image name is one path segment,
/// so a '/' in it travels as %2F; the signature covers that path exactly as sent.
/// </summary>
public sealed class NcrClient(string name, Uri endpoint, string ncrRegistry, RegistryHttp http, SecretScrubber scrubber) : IRegistryClient
{
    private const int PageSize = 100;

    private readonly RegistryApi<NcrError> _api = new(name, endpoint, http, new NcrAnswers(name, scrubber));
    private volatile bool _registryConfirmed;

    public static NcrClient Create(string name, RegistryOptions o, Resilience.RegistryLimits limits, RetryOptions retry, IHttpClientFactory clients, TimeProvider time) =>
        new(name, new Uri(o.Endpoint!), o.NcrRegistry!,
            new RegistryHttp(name, clients, new NcrSigner(o.AccessKey!, o.SecretKey!, time), limits, retry, NcrAnswers.IsTransient),
            new SecretScrubber(o.SecretKey));

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Ncr;

    public string? ValidateRepository(string repository) => OciGrammar.RepositoryError(repository, "Repository (the NCR image name)");

    public string? ValidateTag(string tag) => OciGrammar.TagError(tag);

    public async Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct) =>
        await DeleteAsync(_api.Uri($"{ImagePath(repository)}/tags/{Uri.EscapeDataString(tag)}"), $"the delete of {repository}:{tag}", attempts, ct);

    public async Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct)
    {
        var image = _api.Uri(ImagePath(repository));
        var action = $"the delete of image {repository}";
        if (!deleteTagsFirst)
            return await DeleteAsync(image, action, attempts, ct);

        var tags = await ListTagsAsync(repository, attempts, ct);
        if (tags is null)
            return new DeletionResult(DeletionOutcome.AlreadyAbsent, 0);
        var deleted = 0;
        foreach (var tag in tags)
        {
            if ((await DeleteTagAsync(repository, tag.Name, attempts, ct)).Outcome == DeletionOutcome.Deleted)
                deleted++;
        }
        var result = await DeleteAsync(image, action, attempts, ct);
        return result.Outcome == DeletionOutcome.AlreadyAbsent && deleted == 0
            ? result with { TagsDeleted = 0 }
            : new DeletionResult(DeletionOutcome.Deleted, deleted);
    }

    public async IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var action = $"the image list of NCR registry {ncrRegistry}";
        var images = await ReadAllPagesAsync(RegistryPath(), NcrListing.ImageName, n => n, action, attempts, ct)
            ?? throw MissingRegistry();
        foreach (var image in images)
            yield return image;
    }

    public async Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct) =>
        await ReadAllPagesAsync($"{ImagePath(repository)}/tags", NcrListing.Tag, t => t.Name, $"the tag list of {repository}", attempts, ct);

    private async Task<DeletionResult> DeleteAsync(Uri uri, string action, OperationAttempts attempts, CancellationToken ct)
    {
        var result = await _api.DeleteAsync(uri, action, attempts, ct);
        if (result.Outcome == DeletionOutcome.AlreadyAbsent)
            await ConfirmRegistryAsync(attempts, ct);
        return result;
    }

    /// <summary>
    /// The API answers the same 404 for a missing tag and a missing registry; a wrong NcrRegistry setting must not
    /// pass for "already deleted", so a 404 is trusted only once the registry is known to exist.
    /// </summary>
    private async Task ConfirmRegistryAsync(OperationAttempts attempts, CancellationToken ct)
    {
        if (_registryConfirmed)
            return;
        var found = await _api.ReadAllPagesAsync(_api.Uri($"{RegistryPath()}?page=1&pagesize=1"), $"the image list of NCR registry {ncrRegistry}",
            (_, _, _) => Task.FromResult(ListPage<string>.Last([])), key: null, listName: null, attempts, ct);
        _registryConfirmed = found is not null ? true : throw MissingRegistry();
    }

    private RegistryFailureException MissingRegistry() => new(FailureKind.Misconfigured, 404,
        $"Registry '{name}' says NCR registry '{ncrRegistry}' does not exist; check Registries:{name}:NcrRegistry.");

    /// <summary>
    /// A page-numbered list; null when the API says the listed thing does not exist (once the registry is known to).
    /// Only forward: a server that repeats a page number must not keep the listing going.
    /// </summary>
    private async Task<List<T>?> ReadAllPagesAsync<T>(string path, Func<JsonElement, T?> select, Func<T, string> key, string action,
        OperationAttempts attempts, CancellationToken ct) where T : class
    {
        var current = 1;
        var items = await _api.ReadAllPagesAsync(PageAt(current), action, async (response, _, ct) =>
        {
            var (found, next) = await NcrListing.ReadPageAsync(response, select, ct);
            var forward = next > current ? next : null;
            current = forward ?? current;
            return new ListPage<T>(found, _ => forward is { } page ? PageAt(page) : null);
        }, key, "an NCR list", attempts, ct);
        if (items is null)
            await ConfirmRegistryAsync(attempts, ct);
        return items;

        Uri PageAt(int page) => _api.Uri($"{path}?page={page}&pagesize={PageSize}");
    }

    private string RegistryPath() => $"repositories/{Uri.EscapeDataString(ncrRegistry)}";

    /// <summary>The image name as one escaped segment; names that were not validated are refused, so nothing unchecked can change the path.</summary>
    private string ImagePath(string imageName)
    {
        if (ValidateRepository(imageName) is { } error)
            throw new RegistryFailureException(FailureKind.Rejected, null, error);
        return $"{RegistryPath()}/{Uri.EscapeDataString(imageName)}";
    }
}
