namespace RegistryCleaner.Sandbox.Tests;

internal static class TestSeeds
{
    public const string AccessKey = "AKTEST";
    public const string SecretKey = "SKTEST";
    public const string IamToken = "iam-token";
    public const string ProjectId = "p1";
    public const string ImageId = "67e17426-359e-49fb-aa12-0bd1756ec240";

    public static readonly DateTimeOffset Day0 = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    public static SeedTag Tag(string name, string? image = null, int day = 0) =>
        new() { Name = name, Image = image, Created = Day0.AddDays(day) };

    public static SeedRegistry Oci(bool deleteEnabled = true, bool tagDeleteSupported = false, SeedAuth? auth = null) => new()
    {
        Name = "oci",
        Kind = RegistryKind.Oci,
        DeleteEnabled = deleteEnabled,
        TagDeleteSupported = tagDeleteSupported,
        Auth = auth ?? new SeedAuth(),
        Repositories =
        [
            new SeedRepository
            {
                Name = "team/app",
                Tags = [Tag("v1", "a", 1), Tag("v1-alias", "a", 1), Tag("v2", "b", 2), Tag("v3", "c", 3), Tag("v4", "d", 4)],
            },
            new SeedRepository { Name = "team/worker", Tags = [Tag("w1", "w", 5)] },
            new SeedRepository { Name = "alpha", Tags = [Tag("x", "x", 6)] },
            new SeedRepository { Name = "beta/one", Tags = [Tag("y", "y", 7)] },
        ],
    };

    public static SeedRegistry Swr() => new()
    {
        Name = "swr",
        Kind = RegistryKind.Swr,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Token = IamToken,
        Repositories =
        [
            new SeedRepository
            {
                Name = "acme/web",
                Tags =
                [
                    new SeedTag { Name = "v1", Created = Day0.AddDays(1), Updated = Day0.AddDays(30) },
                    new SeedTag { Name = "v2", Created = Day0.AddDays(2), Updated = Day0.AddDays(20) },
                    new SeedTag { Name = "v3", Created = Day0.AddDays(3), Updated = Day0.AddDays(10) },
                    new SeedTag { Name = "latest", Created = Day0.AddDays(4), Updated = Day0.AddDays(40), Digest = "sha256:" + new string('a', 64) },
                ],
            },
            new SeedRepository { Name = "acme/team/web", Tags = [Tag("v1.2", day: 5), Tag("v1.3", day: 6)] },
            new SeedRepository { Name = "acme/website", Tags = [Tag("x", day: 7)] },
            new SeedRepository { Name = "other/web", Tags = [Tag("y", day: 8)] },
            new SeedRepository { Name = "acme/empty" },
        ],
    };

    public static SeedRegistry Ims() => new()
    {
        Name = "ims",
        Kind = RegistryKind.Ims,
        ProjectId = ProjectId,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Token = IamToken,
        Repositories =
        [
            new SeedRepository
            {
                Name = ImageId,
                Tags = [new SeedTag { Name = "env", Value = "prod" }, new SeedTag { Name = "owner", Value = "platform" }],
            },
        ],
    };

    public static SeedRegistry Ncr() => new()
    {
        Name = "ncr",
        Kind = RegistryKind.Ncr,
        NcrRegistry = "myreg",
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Repositories =
        [
            new SeedRepository
            {
                Name = "hello/world",
                Tags = Enumerable.Range(1, 25).Select(i => new SeedTag { Name = $"v{i}", Created = Day0.AddDays(i) }).ToList(),
            },
            new SeedRepository { Name = "plain", Tags = [Tag("r1")] },
        ],
    };

    public static Task<SandboxServer> Start(params SeedRegistry[] registries) => Start(TimeProvider.System, registries);

    /// <summary>A sandbox whose injected latency and request log run on <paramref name="time"/>.</summary>
    public static Task<SandboxServer> Start(TimeProvider time, params SeedRegistry[] registries) =>
        SandboxServer.StartAsync(new SandboxSeed { Registries = registries }, time);
}
