using System.Net;
using System.Text.Json;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Registries.Http.Signing;
using RegistryCleaner.Worker.Registries.Huawei;

namespace RegistryCleaner.Worker.Registries.Swr;

/// <summary>
/// Huawei Cloud SWR (v2 management API). A repository is <c>namespace/repository</c>; a repository that still
/// holds images is only deleted after its tags, when the command asks for that.
/// </summary>
public sealed class SwrClient(string name, Uri endpoint, RegistryHttp http, SecretScrubber scrubber) : IRegistryClient
{
    private const int PageSize = 100;

    private readonly Uri _base = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    private readonly HuaweiAnswers _answers = new(name, "SWR", scrubber);

    public static SwrClient Create(string name, RegistryOptions o, Resilience.RegistryLimits limits, RetryOptions retry, IHttpClientFactory clients, TimeProvider time) =>
        new(name, new Uri(o.Endpoint!),
            new RegistryHttp(name, clients, new SwrSigner(o.AccessKey, o.SecretKey, o.Token, time), limits, retry),
            new SecretScrubber(o.SecretKey, o.Token));

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Swr;

    public string? ValidateRepository(string repository) => SwrNames.RepositoryError(repository);

    public string? ValidateTag(string tag) => SwrNames.TagError(tag);

    public async Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct)
    {
        var uri = TagUri(repository, tag);
        using var response = await http.SendAsync(() => new(HttpMethod.Delete, uri), attempts, ct);
        if (HuaweiAnswers.IsSuccess(response))
            return DeletionResult.Deleted;
        var error = await HuaweiError.ReadAsync(response, ct);
        if (HuaweiAnswers.IsApiNotFound(response, error))
            return DeletionResult.AlreadyAbsent;
        throw _answers.Failure($"the delete of {repository}:{tag}", response, error);
    }

    public async Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct)
    {
        var first = await TryDeleteRepositoryAsync(repository, attempts, ct);
        if (first is not null)
            return first;
        if (!deleteTagsFirst)
            throw new RegistryFailureException(FailureKind.RepositoryNotEmpty, 406,
                $"Registry '{name}' keeps {repository}: it still holds images (406). Send the command with DeleteTagsFirst to delete its tags first.");

        // Listed completely before anything is deleted: offset paging skips items when the list shrinks underneath it.
        var tags = await ListTagsAsync(repository, attempts, ct);
        var deleted = 0;
        foreach (var tag in tags ?? [])
        {
            if ((await DeleteTagAsync(repository, tag.Name, attempts, ct)).Outcome == DeletionOutcome.Deleted)
                deleted++;
        }

        var second = await TryDeleteRepositoryAsync(repository, attempts, ct)
            ?? throw new RegistryFailureException(FailureKind.RepositoryNotEmpty, 406,
                $"Registry '{name}' still keeps {repository} after deleting {deleted} tag(s): images were pushed meanwhile. Send the command again to remove them.");
        return second.Outcome == DeletionOutcome.AlreadyAbsent && deleted > 0
            ? new DeletionResult(DeletionOutcome.Deleted, deleted)
            : second with { TagsDeleted = deleted };
    }

    public async IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const string action = "the repository list";
        var repositories = await ReadAllPagesAsync("v2/manage/repos?", SwrListing.ReadRepositoriesAsync, r => r, action, attempts, ct)
            ?? throw new RegistryFailureException(FailureKind.Misconfigured, 404,
                $"Registry '{name}' answered {action} with 404; check Registries:{name}:Endpoint.");
        foreach (var repository in repositories)
            yield return repository;
    }

    public async Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct) =>
        await ReadAllPagesAsync<RegistryTag>($"{RepositoryPath(repository)}/tags?order_column=updated_at&order_type=desc&",
            SwrListing.ReadTagsAsync, t => t.Name, $"the tag list of {repository}", attempts, ct);

    /// <summary>
    /// Every item of an offset-paged list, read to the end before the caller acts on any of them; null when the
    /// service says the listed thing does not exist.
    /// </summary>
    private async Task<IReadOnlyList<T>?> ReadAllPagesAsync<T>(string pathAndQuery, Func<HttpResponseMessage, CancellationToken, Task<List<T>>> read,
        Func<T, string> key, string action, OperationAttempts attempts, CancellationToken ct)
    {
        var items = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0;
        while (true)
        {
            var uri = new Uri(_base, $"{pathAndQuery}offset={offset}&limit={PageSize}");
            using var response = await http.SendAsync(() => new(HttpMethod.Get, uri), attempts, ct);
            if (!HuaweiAnswers.IsSuccess(response))
            {
                var error = await HuaweiError.ReadAsync(response, ct);
                if (HuaweiAnswers.IsApiNotFound(response, error))
                    return null;
                throw _answers.Failure(action, response, error);
            }
            var page = await ReadAsync(read, response, action, ct);
            // An item seen twice moved between pages; a page with nothing new means the server ignores paging.
            var added = 0;
            foreach (var item in page.Where(item => seen.Add(key(item))))
            {
                items.Add(item);
                added++;
            }
            offset += page.Count;
            var more = page.Count > 0 && added > 0 && (SwrListing.Total(response) is { } total ? offset < total : page.Count >= PageSize);
            if (!more)
                return items;
        }
    }

    private async Task<DeletionResult?> TryDeleteRepositoryAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        var uri = new Uri(_base, RepositoryPath(repository));
        using var response = await http.SendAsync(() => new(HttpMethod.Delete, uri), attempts, ct);
        if (HuaweiAnswers.IsSuccess(response))
            return DeletionResult.Deleted;
        if (response.StatusCode == HttpStatusCode.NotAcceptable)
            return null;
        var error = await HuaweiError.ReadAsync(response, ct);
        if (HuaweiAnswers.IsApiNotFound(response, error))
            return DeletionResult.AlreadyAbsent;
        throw _answers.Failure($"the delete of repository {repository}", response, error);
    }

    private async Task<T> ReadAsync<T>(Func<HttpResponseMessage, CancellationToken, Task<T>> read, HttpResponseMessage response, string action, CancellationToken ct)
    {
        try
        {
            return await read(response, ct);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new RegistryFailureException(FailureKind.Misconfigured, (int)response.StatusCode,
                $"Registry '{name}' answered {action} with a body that is not an SWR list ({e.GetType().Name}); check Registries:{name}:Endpoint.");
        }
    }

    private Uri TagUri(string repository, string tag) => new(_base, $"{RepositoryPath(repository)}/tags/{Uri.EscapeDataString(tag)}");

    /// <summary>Refuses names that were not validated, so nothing unchecked can change the request path.</summary>
    private string RepositoryPath(string repository)
    {
        if (SwrNames.RepositoryError(repository) is { } error)
            throw new RegistryFailureException(FailureKind.Rejected, null, error);
        var (ns, repo) = SwrNames.Split(repository);
        return $"v2/manage/namespaces/{ns}/repos/{SwrNames.PathSegment(repo)}";
    }
}
