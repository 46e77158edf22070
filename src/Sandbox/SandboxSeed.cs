using System.Text.Json;
using System.Text.Json.Serialization;

namespace RegistryCleaner.Sandbox;

public enum RegistryKind { Oci, Swr, Ims, Ncr }

public enum AuthMode { None, Basic, Bearer }

public sealed record SandboxSeed
{
    public IReadOnlyList<SeedRegistry> Registries { get; init; } = [];
    public IReadOnlyList<FaultRule> Faults { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static SandboxSeed FromJson(string json) =>
        JsonSerializer.Deserialize<SandboxSeed>(json, JsonOptions)
        ?? throw new InvalidDataException("The seed JSON is empty.");

    public static async Task<SandboxSeed> LoadAsync(string path, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<SandboxSeed>(stream, JsonOptions, ct)
            ?? throw new InvalidDataException($"The seed file '{path}' is empty.");
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

public sealed record SeedRegistry
{
    public required string Name { get; init; }
    public RegistryKind Kind { get; init; }
    public IReadOnlyList<SeedRepository> Repositories { get; init; } = [];

    // OCI
    public bool DeleteEnabled { get; init; } = true;
    public bool TagDeleteSupported { get; init; }

    /// <summary>Serve the OCI 1.1 referrers API (distribution 3.x, zot); off, like distribution 2.8, which answers 404.</summary>
    public bool ReferrersSupported { get; init; }
    public SeedAuth Auth { get; init; } = new();

    // SWR, IMS and NCR
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }

    // SWR and IMS: the IAM token accepted in X-Auth-Token
    public string? Token { get; init; }

    // IMS
    public string? ProjectId { get; init; }

    // NCR
    public string? NcrRegistry { get; init; }
}

public sealed record SeedAuth
{
    public AuthMode Mode { get; init; } = AuthMode.None;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public int TokenLifetimeSeconds { get; init; } = 60;
}

public sealed record SeedRepository
{
    public required string Name { get; init; }
    public IReadOnlyList<SeedTag> Tags { get; init; } = [];
}

/// <summary>
/// One tag. OCI uses <see cref="Image"/> (tags with the same label share one manifest);
/// SWR and NCR use <see cref="Digest"/> (generated when absent); IMS uses <see cref="Name"/> as the key
/// and <see cref="Value"/> as the value.
/// </summary>
public sealed record SeedTag
{
    public required string Name { get; init; }
    public string? Image { get; init; }
    public string? Digest { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Updated { get; init; }
    public string? Value { get; init; }
    public long? Size { get; init; }
}
