using System.Text.Json;
using System.Text.RegularExpressions;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Registries.Http.Signing;
using RegistryCleaner.Worker.Registries.Huawei;
namespace RegistryCleaner.Worker.Registries.Ims;

/// <summary>
/// Huawei Cloud IMS image tags: the repository is an image id, the tag a tag key. The API answers 404 for a key
/// that is not there (documented as non-idempotent); here that counts as already absent once the image's tag list
/// answers in the configured project, because an unknown image and a wrong project answer the same kind of 404.
/// </summary>
public sealed partial class ImsClient(string name, Uri endpoint, string projectId, RegistryHttp http, SecretScrubber scrubber) : IRegistryClient
{
    private const int MaxList = 4 * 1024 * 1024;

    private readonly RegistryApi<HuaweiError> _api = new(name, endpoint, http, new HuaweiAnswers(name, "IMS", scrubber));

    public static ImsClient Create(string name, RegistryOptions o, Resilience.RegistryLimits limits, RetryOptions retry, IHttpClientFactory clients, TimeProvider time) =>
        new(name, new Uri(o.Endpoint!), o.ProjectId!,
            new RegistryHttp(name, clients, new SwrSigner(o.AccessKey, o.SecretKey, o.Token, time), limits, retry),
            new SecretScrubber(o.SecretKey, o.Token));

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Ims;

    public string? ValidateRepository(string repository) => ImageId().IsMatch(repository) ? null
        : "Repository must be an IMS image id: 1 to 64 letters, digits or '-'.";

    /// <summary>IMS does not restrict keys (legacy data); only "." and ".." are refused, because a URL path would collapse them.</summary>
    public string? ValidateTag(string tag) => tag is "." or ".." ? "Tag (the IMS tag key) must not be '.' or '..'." : null;

    public async Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct)
    {
        var result = await _api.DeleteAsync(_api.Uri($"{ImagePath(repository)}/tags/{Key(tag)}"), $"the delete of tag key '{tag}' of image {repository}", attempts, ct);
        if (result.Outcome == DeletionOutcome.AlreadyAbsent)
            await ConfirmImageAsync(repository, tag, attempts, ct);
        return result;
    }

    /// <summary>
    /// The API answers 404 for a missing key, a missing image and a project that does not match alike; a wrong ProjectId
    /// must not pass for "already deleted", so a key's 404 is trusted only when the image's tag list answers. Per image, so
    /// not cached: one more GET, on the delete's 404 only.
    /// </summary>
    private async Task ConfirmImageAsync(string imageId, string key, OperationAttempts attempts, CancellationToken ct)
    {
        if (await ListTagsAsync(imageId, attempts, ct) is null)
            throw new RegistryFailureException(FailureKind.Misconfigured, 404,
                $"Registry '{name}' answered 404 to the delete of tag key '{key}' of image {imageId} and 404 to that image's tag list: "
                + $"image {imageId} not found in project {projectId}: the image is gone or Registries:{name}:ProjectId is wrong; nothing is assumed deleted.");
    }

    public Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct) =>
        Task.FromException<DeletionResult>(new RegistryFailureException(FailureKind.NotSupported, null,
            $"Registry '{name}' is an IMS image service: this worker deletes image tag keys only, not images. Send DeleteTag commands for the keys instead."));

    public IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, CancellationToken ct) =>
        throw new RegistryFailureException(FailureKind.NotSupported, null,
            $"Registry '{name}' is an IMS image service and has no repository list: name the image ids in the policy instead.");

    /// <summary>One answer holds every key of the image.</summary>
    public async Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct) =>
        await _api.ReadAllPagesAsync(_api.Uri($"{ImagePath(repository)}/tags"), $"the tag list of image {repository}",
            async (response, _, ct) =>
            {
                using var doc = await ResponseBody.ReadJsonAsync(response, MaxList, ct);
                return ListPage<RegistryTag>.Last(Keys(doc.RootElement));
            },
            key: null, "an IMS tag list", attempts, ct);

    private static List<RegistryTag> Keys(JsonElement root)
    {
        if (!root.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Array)
            return [];
        return tags.EnumerateArray()
            .Where(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String)
            .Select(t => new RegistryTag(t.GetProperty("key").GetString()!, null, null))
            .ToList();
    }

    /// <summary>Refuses ids that were not validated, so nothing unchecked can change the request path.</summary>
    private string ImagePath(string imageId)
    {
        if (ValidateRepository(imageId) is { } error)
            throw new RegistryFailureException(FailureKind.Rejected, null, error);
        return $"v2/{Uri.EscapeDataString(projectId)}/images/{imageId}";
    }

    private string Key(string key)
    {
        if (ValidateTag(key) is { } error)
            throw new RegistryFailureException(FailureKind.Rejected, null, error);
        return Uri.EscapeDataString(key);
    }

    [GeneratedRegex(@"\A[A-Za-z0-9-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ImageId();
}
