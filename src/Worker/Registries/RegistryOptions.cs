namespace RegistryCleaner.Worker.Registries;

/// <summary>One configured registry: <c>Registries__&lt;name&gt;__*</c>. Holds secrets: never log or serialize it.</summary>
public sealed class RegistryOptions
{
    public RegistryKind? Kind { get; set; }
    public string? Endpoint { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public string? Token { get; set; }
    public string? ProjectId { get; set; }
    public string? NcrRegistry { get; set; }
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Allows plain http to a host that is not loopback.</summary>
    public bool AllowInsecureHttp { get; set; }

    public override string ToString() => $"{Kind} registry at {Endpoint}";
}

public sealed class RegistriesOptions
{
    public const string Section = "Registries";

    public Dictionary<string, RegistryOptions> Registries { get; } = new(StringComparer.OrdinalIgnoreCase);
}
