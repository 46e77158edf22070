using System.Net;
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

    private readonly RegistryApi<HuaweiError> _api = new(name, endpoint, http, new HuaweiAnswers(name, "SWR", scrubber));

    public static SwrClient Create(string name, RegistryOptions o, Resilience.RegistryLimits limits, RetryOptions retry, IHttpClientFactory clients, TimeProvider time) =>
        new(name, new Uri(o.Endpoint!),
            new RegistryHttp(name, clients, new SwrSigner(o.AccessKey, o.SecretKey, o.Token, time), limits, retry),
            new SecretScrubber(o.SecretKey, o.Token));

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Swr;

    public string? ValidateRepository(string repository) => SwrNames.RepositoryError(repository);

    public string? ValidateTag(string tag) => SwrNames.TagError(tag);

    public Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct) =>
        _api.DeleteAsync(_api.Uri($"{RepositoryPath(repository)}/tags/{Uri.EscapeDataString(tag)}"), $"the delete of {repository}:{tag}", attempts, ct);

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

    /// <summary>An offset-paged list; a page with nothing new ends it, since the server then ignores paging.</summary>
    private Task<List<T>?> ReadAllPagesAsync<T>(string pathAndQuery, Func<HttpResponseMessage, CancellationToken, Task<List<T>>> read,
        Func<T, string> key, string action, OperationAttempts attempts, CancellationToken ct)
    {
        var offset = 0;
        return _api.ReadAllPagesAsync(PageAt(0), action, async (response, _, ct) =>
        {
            var page = await read(response, ct);
            offset += page.Count;
            var total = SwrListing.Total(response);
            return new ListPage<T>(page, added => page.Count > 0 && added > 0 && (total is { } t ? offset < t : page.Count >= PageSize) ? PageAt(offset) : null);
        }, key, "an SWR list", attempts, ct);

        Uri PageAt(int at) => _api.Uri($"{pathAndQuery}offset={at}&limit={PageSize}");
    }

    private async Task<DeletionResult?> TryDeleteRepositoryAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await _api.SendAsync(HttpMethod.Delete, _api.Uri(RepositoryPath(repository)), attempts, ct);
        return response.StatusCode == HttpStatusCode.NotAcceptable ? null : await _api.DeletionOfAsync(response, $"the delete of repository {repository}", ct);
    }

    /// <summary>Refuses names that were not validated, so nothing unchecked can change the request path.</summary>
    private string RepositoryPath(string repository)
    {
        if (SwrNames.RepositoryError(repository) is { } error)
            throw new RegistryFailureException(FailureKind.Rejected, null, error);
        var (ns, repo) = SwrNames.Split(repository);
        return $"v2/manage/namespaces/{ns}/repos/{SwrNames.PathSegment(repo)}";
    }
}
