using System.Text.Json;
using RegistryCleaner.Common.Validation;
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

    private readonly Uri _base = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    private readonly NcrAnswers _answers = new(name, scrubber);
    private volatile bool _registryConfirmed;

    public static NcrClient Create(string name, RegistryOptions o, Resilience.RegistryLimits limits, RetryOptions retry, IHttpClientFactory clients, TimeProvider time) =>
        new(name, new Uri(o.Endpoint!), o.NcrRegistry!,
            new RegistryHttp(name, clients, new NcrSigner(o.AccessKey!, o.SecretKey!, time), limits, retry, NcrAnswers.IsTransient),
            new SecretScrubber(o.SecretKey));

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Ncr;

    public string? ValidateRepository(string repository) => NameRules.IsOciRepository(repository) ? null
        : "Repository (the NCR image name) must follow the OCI grammar: lowercase letters and digits, separated by '.', '_', '__', '-' or '/', at most 255 characters.";

    public string? ValidateTag(string tag) => NameRules.IsOciTag(tag) ? null
        : "Tag must follow the OCI grammar: a letter, digit or '_', then up to 127 letters, digits, '_', '.' or '-'.";

    public async Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct) =>
        await DeleteAsync(new Uri(_base, $"{ImagePath(repository)}/tags/{Uri.EscapeDataString(tag)}"), $"the delete of {repository}:{tag}", attempts, ct);

    public async Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct)
    {
        var image = new Uri(_base, ImagePath(repository));
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
        using var response = await http.SendAsync(() => new(HttpMethod.Delete, uri), attempts, ct);
        if (NcrAnswers.IsSuccess(response))
            return DeletionResult.Deleted;
        var error = await NcrError.ReadAsync(response, ct);
        if (!NcrAnswers.IsApiNotFound(response, error))
            throw _answers.Failure(action, response, error);
        await ConfirmRegistryAsync(attempts, ct);
        return DeletionResult.AlreadyAbsent;
    }

    /// <summary>
    /// The API answers the same 404 for a missing tag and a missing registry; a wrong NcrRegistry setting must not
    /// pass for "already deleted", so a 404 is trusted only once the registry is known to exist.
    /// </summary>
    private async Task ConfirmRegistryAsync(OperationAttempts attempts, CancellationToken ct)
    {
        if (_registryConfirmed)
            return;
        var uri = new Uri(_base, $"{RegistryPath()}?page=1&pagesize=1");
        using var response = await http.SendAsync(() => new(HttpMethod.Get, uri), attempts, ct);
        if (NcrAnswers.IsSuccess(response))
        {
            _registryConfirmed = true;
            return;
        }
        var error = await NcrError.ReadAsync(response, ct);
        if (NcrAnswers.IsApiNotFound(response, error))
            throw MissingRegistry();
        throw _answers.Failure($"the image list of NCR registry {ncrRegistry}", response, error);
    }

    private RegistryFailureException MissingRegistry() => new(FailureKind.Misconfigured, 404,
        $"Registry '{name}' says NCR registry '{ncrRegistry}' does not exist; check Registries:{name}:NcrRegistry.");

    /// <summary>Every item of a page-numbered list, read to the end before the caller acts; null when the API says the listed thing does not exist.</summary>
    private async Task<IReadOnlyList<T>?> ReadAllPagesAsync<T>(string path, Func<JsonElement, T?> select, Func<T, string> key, string action,
        OperationAttempts attempts, CancellationToken ct) where T : class
    {
        var items = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int? page = 1;
        while (page is { } current)
        {
            var uri = new Uri(_base, $"{path}?page={current}&pagesize={PageSize}");
            using var response = await http.SendAsync(() => new(HttpMethod.Get, uri), attempts, ct);
            if (!NcrAnswers.IsSuccess(response))
            {
                var error = await NcrError.ReadAsync(response, ct);
                if (!NcrAnswers.IsApiNotFound(response, error))
                    throw _answers.Failure(action, response, error);
                await ConfirmRegistryAsync(attempts, ct);
                return null;
            }
            List<T> found;
            int? next;
            try
            {
                (found, next) = await NcrListing.ReadPageAsync(response, select, ct);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                throw new RegistryFailureException(FailureKind.Misconfigured, (int)response.StatusCode,
                    $"Registry '{name}' answered {action} with a body that is not an NCR list ({e.GetType().Name}); check Registries:{name}:Endpoint.");
            }
            items.AddRange(found.Where(item => seen.Add(key(item))));
            // Only forward: a server that repeats a page number must not keep the loop going.
            page = next > current ? next : null;
        }
        return items;
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
