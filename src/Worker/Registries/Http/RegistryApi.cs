using System.Text.Json;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>
/// What every registry client does the same way: requests under the configured base URI, through the registry's limits
/// and credentials; a final answer mapped to success, "not there" (only when the API itself says so) or a failure; and
/// lists read page by page to the end before the caller acts on any item. Each client keeps its own paths, signing and
/// page format.
/// </summary>
public sealed class RegistryApi<TError>(string registry, Uri endpoint, RegistryHttp http, IRegistryAnswers<TError> answers) where TError : class
{
    public Uri Base { get; } = BaseUri.Of(endpoint);

    public IRegistryAnswers<TError> Answers => answers;

    public Uri Uri(string relative) => new(Base, relative);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, OperationAttempts attempts, CancellationToken ct) =>
        http.SendAsync(() => new(method, uri), attempts, ct);

    /// <summary>Deleted on a success, already absent when the API says the thing is not there; any other answer fails.</summary>
    public async Task<DeletionResult> DeleteAsync(Uri uri, string action, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, uri, attempts, ct);
        return await DeletionOfAsync(response, action, ct);
    }

    public async Task<DeletionResult> DeletionOfAsync(HttpResponseMessage response, string action, CancellationToken ct)
    {
        if (answers.IsSuccess(response))
            return DeletionResult.Deleted;
        var error = await answers.ReadErrorAsync(response, ct);
        if (answers.IsApiNotFound(response, error))
            return DeletionResult.AlreadyAbsent;
        throw answers.Failure(action, response, error);
    }

    /// <summary>
    /// Every item of a paged list, read to the end before the caller acts on any of them; null when the API says the
    /// listed thing does not exist. With <paramref name="key"/>, an item seen twice (it moved between pages) is kept once.
    /// </summary>
    /// <param name="listName">What the page should have been ("an SWR list"): a page that is not one fails as misconfigured. Null lets the reader's exception through.</param>
    public async Task<List<T>?> ReadAllPagesAsync<T>(Uri first, string action, PageReader<T> read, Func<T, string>? key, string? listName,
        OperationAttempts attempts, CancellationToken ct)
    {
        var items = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (Uri? next = first; next is not null;)
        {
            var page = next;
            using var response = await SendAsync(HttpMethod.Get, page, attempts, ct);
            if (!answers.IsSuccess(response))
            {
                var error = await answers.ReadErrorAsync(response, ct);
                if (answers.IsApiNotFound(response, error))
                    return null;
                throw answers.Failure(action, response, error);
            }
            var found = await ReadPageAsync(read, response, page, action, listName, ct);
            var added = 0;
            foreach (var item in found.Items.Where(item => key is null || seen.Add(key(item))))
            {
                items.Add(item);
                added++;
            }
            next = found.Next(added);
        }
        return items;
    }

    private async Task<ListPage<T>> ReadPageAsync<T>(PageReader<T> read, HttpResponseMessage response, Uri page, string action, string? listName, CancellationToken ct)
    {
        try
        {
            return await read(response, page, ct);
        }
        catch (Exception e) when (listName is not null && e is JsonException or InvalidDataException)
        {
            throw new RegistryFailureException(FailureKind.Misconfigured, (int)response.StatusCode,
                $"Registry '{registry}' answered {action} with a body that is not {listName} ({e.GetType().Name}); check Registries:{registry}:Endpoint.");
        }
    }
}

/// <summary>Reads one page of a list from a successful answer.</summary>
public delegate Task<ListPage<T>> PageReader<T>(HttpResponseMessage response, Uri page, CancellationToken ct);

/// <summary>One page of a list: its items, and where the next page is, given how many of them were new (null: the list ends).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, Func<int, Uri?> Next)
{
    public static ListPage<T> Last(IReadOnlyList<T> items) => new(items, _ => null);
}
