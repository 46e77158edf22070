using MassTransit;

namespace RegistryCleaner.Worker.Hosting;

/// <summary>An <c>amqp://</c> or <c>amqps://</c> URI taken apart, so the password never travels inside a URI that might be logged.</summary>
public sealed record BrokerAddress(string Host, int Port, string VirtualHost, string Username, string Password, bool UseTls)
{
    public static BrokerAddress Parse(string? uri, string key)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != "amqp" && parsed.Scheme != "amqps"))
            throw new InvalidOperationException($"{key} must be an amqp:// or amqps:// URI, e.g. amqp://user:password@127.0.0.1:5672/.");
        var tls = parsed.Scheme == "amqps";
        var credentials = parsed.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/'));
        return new BrokerAddress(
            parsed.Host,
            parsed.IsDefaultPort || parsed.Port <= 0 ? (tls ? 5671 : 5672) : parsed.Port,
            vhost.Length == 0 ? "/" : vhost,
            credentials[0].Length == 0 ? "guest" : Uri.UnescapeDataString(credentials[0]),
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest",
            tls);
    }

    /// <summary>The URI without its password, for messages to people.</summary>
    public string Display => $"{(UseTls ? "amqps" : "amqp")}://{Username}@{Host}:{Port}/{(VirtualHost == "/" ? "" : Uri.EscapeDataString(VirtualHost))}";

    public void Configure(IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Host(Host, (ushort)Port, VirtualHost, h =>
        {
            h.Username(Username);
            h.Password(Password);
            h.PublisherConfirmation = true;
            if (UseTls)
                h.UseSsl(s => s.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
        });
    }

    public override string ToString() => Display;
}
