using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Bench.Scenarios;

/// <summary>The tags a run deletes, as commands, and the sandbox seeded with exactly those tags.</summary>
public static class Workload
{
    public static List<DeleteTag> Commands(string prefix, int count, int perRepository = 1_000) =>
        [.. Enumerable.Range(0, count).Select(i => Command($"bench/{prefix}-{i / perRepository:D2}", $"t{i % perRepository:D5}"))];

    public static DeleteTag Command(string repository, string tag) => new()
    {
        RequestId = Guid.NewGuid(),
        Registry = WorkerProcess.Registry,
        Repository = repository,
        Tag = tag,
        Reason = "benchmark",
        RequestedBy = "bench",
    };

    /// <summary>
    /// One OCI registry with the spec 1.1 tag delete, so one tag is one <c>DELETE</c>. Tags of a repository share one
    /// image: deleting a tag removes the tag only. <paramref name="latency"/> is added to every call.
    /// </summary>
    public static async Task<SandboxServer> SandboxAsync(IEnumerable<DeleteTag> commands, TimeSpan? latency = null)
    {
        var repositories = commands.GroupBy(c => c.Repository)
            .Select(g => new SeedRepository { Name = g.Key, Tags = [.. g.Select(c => new SeedTag { Name = c.Tag, Image = "base" })] })
            .ToList();
        return await SandboxServer.StartAsync(new SandboxSeed
        {
            Registries = [new SeedRegistry { Name = WorkerProcess.Registry, Kind = RegistryKind.Oci, TagDeleteSupported = true, Repositories = repositories }],
            Faults = latency is { } delay ? [new FaultRule { Latency = delay }] : [],
        });
    }
}
