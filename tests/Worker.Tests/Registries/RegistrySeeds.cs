using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Worker.Tests.Registries;

internal static class RegistrySeeds
{
    public const string AccessKey = "AKSANDBOX";
    public const string SecretKey = "sk-sandbox-2f9c71e4";
    public const string Token = "iam-token-sandbox-8d1b0a";
    public const string ProjectId = "fd73a4a14a4a4dfb9771a8475e5198ea";
    public const string ImageId = "67e17426-359e-49fb-aa12-0bd1756ec240";

    public static readonly DateTimeOffset Day0 = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    public static SeedTag Tag(string name, int day) => new() { Name = name, Created = Day0.AddDays(day), Updated = Day0.AddDays(day + 30) };

    public static SeedRegistry Swr() => new()
    {
        Name = "swr",
        Kind = RegistryCleaner.Sandbox.RegistryKind.Swr,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Token = Token,
        Repositories =
        [
            new SeedRepository { Name = "acme/web", Tags = [Tag("v1", 1), Tag("v2", 2), Tag("v3", 3), Tag("latest", 4)] },
            new SeedRepository { Name = "acme/team/web", Tags = [Tag("v1.2", 5), Tag("v1.3", 6)] },
            new SeedRepository { Name = "acme/website", Tags = [Tag("x", 7)] },
            new SeedRepository { Name = "acme/big", Tags = Enumerable.Range(0, 230).Select(i => Tag($"b{i}", i % 50)).ToList() },
            new SeedRepository { Name = "other/web", Tags = [Tag("y", 8)] },
            new SeedRepository { Name = "acme/empty" },
        ],
    };

    public static SeedRegistry Ims() => new()
    {
        Name = "ims",
        Kind = RegistryCleaner.Sandbox.RegistryKind.Ims,
        ProjectId = ProjectId,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Token = Token,
        Repositories =
        [
            new SeedRepository
            {
                Name = ImageId,
                Tags =
                [
                    new SeedTag { Name = "env", Value = "prod" },
                    new SeedTag { Name = "owner", Value = "platform" },
                    new SeedTag { Name = "team/owner x", Value = "legacy" },
                    new SeedTag { Name = "键", Value = "legacy" },
                ],
            },
        ],
    };

    /// <summary>NCR lists last_updated, which the sandbox fills from Updated; seeded equal to Created.</summary>
    public static SeedRegistry Ncr() => new()
    {
        Name = "ncr",
        Kind = RegistryCleaner.Sandbox.RegistryKind.Ncr,
        NcrRegistry = "myreg",
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Repositories =
        [
            new SeedRepository
            {
                Name = "hello/world",
                Tags = Enumerable.Range(1, 5).Select(i => new SeedTag { Name = $"v{i}", Created = Day0.AddDays(i), Updated = Day0.AddDays(i) }).ToList(),
            },
            new SeedRepository
            {
                Name = "many",
                Tags = Enumerable.Range(0, 150).Select(i => new SeedTag { Name = $"m{i}", Created = Day0.AddHours(i), Updated = Day0.AddHours(i) }).ToList(),
            },
            new SeedRepository { Name = "plain", Tags = [new SeedTag { Name = "r1", Created = Day0 }] },
        ],
    };
}
