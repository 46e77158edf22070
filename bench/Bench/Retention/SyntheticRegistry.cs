using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Bench.Retention;

/// <summary>
/// A registry that makes its repositories' tags up when they are listed, as a paged listing hands them over: every
/// fifth tag shares the previous tag's image, one in a hundred is the cosign signature of an image, and one in 97
/// is undated. Only one repository's tags exist at a time.
/// </summary>
public sealed class SyntheticRegistry(int repositories, int tagsPerRepository, DateTimeOffset now) : IRegistryClient
{
    public string Name => "bench";
    public RegistryKind Kind => RegistryKind.Oci;

    public string? ValidateRepository(string repository) => null;
    public string? ValidateTag(string tag) => null;

    public Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct) =>
        throw new NotSupportedException("The benchmark plans only.");

    public Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct) =>
        throw new NotSupportedException("The benchmark plans only.");

    public async IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var r = 0; r < repositories; r++)
        {
            await Task.CompletedTask;
            yield return $"team/app-{r}";
        }
    }

    public Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<RegistryTag>?>(Tags(StringComparer.Ordinal.GetHashCode(repository), tagsPerRepository, now));

    /// <summary>One repository's tags, the same for the same seed.</summary>
    public static RegistryTag[] Tags(int seed, int count, DateTimeOffset now)
    {
        var random = new Random(seed);
        var tags = new RegistryTag[count];
        string? digest = null;
        for (var t = 0; t < tags.Length; t++)
        {
            DateTimeOffset? created = t % 97 == 0 ? null : now.AddMinutes(-random.Next(0, 60 * 24 * 365));
            if (t % 100 == 99 && digest is not null)
            {
                tags[t] = new RegistryTag(digest.Replace(':', '-') + ".sig", Digest(random), created);
                continue;
            }
            if (t % 5 != 4 || digest is null)
                digest = Digest(random);
            var name = (t % 100) switch { 0 => $"v1.{t}.0", 1 => $"keep-{t}", _ => $"build-{t}" };
            tags[t] = new RegistryTag(name, digest, created);
        }
        return tags;
    }

    private static string Digest(Random random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return "sha256:" + Convert.ToHexStringLower(bytes);
    }
}
