using System.Net;

namespace RegistryCleaner.Worker.Observability.Health;

/// <summary><c>Health__*</c>: the HTTP health endpoints, served only when a port is set.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Serves <c>/health/live</c> and <c>/health/ready</c> on this port; 0 picks a free one. Unset: no endpoint.</summary>
    public int? Port { get; set; }

    /// <summary>The address to listen on: loopback unless an orchestrator's probe must reach it from outside (e.g. 0.0.0.0).</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>How long a registry's ping answer is reused, so frequent probes do not load the registries.</summary>
    public TimeSpan RegistryPingCache { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a registry may take to answer its ping before it counts as not answering.</summary>
    public TimeSpan RegistryPingTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        if (string.Equals(text, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }
        return IPAddress.TryParse(text, out address!);
    }

    public IEnumerable<string> Errors()
    {
        if (Port is < 0 or > 65535)
            yield return $"Health:Port must be between 0 and 65535 (is {Port}).";
        if (!TryParseAddress(Address, out _))
            yield return $"Health:Address must be an IP address such as 127.0.0.1 or 0.0.0.0 (is '{Address}').";
        if (RegistryPingCache < TimeSpan.Zero || RegistryPingCache > TimeSpan.FromMinutes(10))
            yield return "Health:RegistryPingCache must be between 0 and 10 minutes.";
        if (RegistryPingTimeout <= TimeSpan.Zero || RegistryPingTimeout > TimeSpan.FromMinutes(1))
            yield return "Health:RegistryPingTimeout must be between 0 and 1 minute.";
    }
}
