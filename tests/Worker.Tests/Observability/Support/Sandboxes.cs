using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Worker.Tests.Observability.Support;

/// <summary>Sandbox registries and the worker settings that point at them.</summary>
public static class Sandboxes
{
    public static readonly DateTimeOffset Day0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SeedRegistry Oci(string name, SeedAuth? auth = null) => new()
    {
        Name = name,
        Kind = RegistryCleaner.Sandbox.RegistryKind.Oci,
        Auth = auth ?? new SeedAuth(),
        Repositories =
        [
            new SeedRepository
            {
                Name = "team/app",
                Tags =
                [
                    Tag("v1", "a", 1), Tag("v1-alias", "a", 1), Tag("v2", "b", 2), Tag("v3", "c", 3), Tag("v4", "d", 4),
                    Tag("v5", "e", 5), Tag("latest", "e", 5),
                ],
            },
        ],
    };

    public static SeedTag Tag(string name, string image, int day) => new() { Name = name, Image = image, Created = Day0.AddDays(day) };

    /// <summary>Worker settings for one sandbox registry under <paramref name="name"/>; <paramref name="credentials"/> are added as given.</summary>
    public static Dictionary<string, string?> Settings(SandboxServer sandbox, string sandboxName, string name, string kind, params (string Key, string? Value)[] credentials)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Registries:{name}:Kind"] = kind,
            [$"Registries:{name}:Endpoint"] = sandbox.EndpointOf(sandboxName).AbsoluteUri,
        };
        foreach (var (key, value) in credentials)
            settings[$"Registries:{name}:{key}"] = value;
        return settings;
    }

    public static Dictionary<string, string?> Merge(params Dictionary<string, string?>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(p => p.Key, p => p.Value);
}
