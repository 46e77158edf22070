using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MassTransit;
using Microsoft.Extensions.Configuration;

namespace RegistryCleaner.Common.Messaging;

/// <summary>
/// An <c>amqp://</c> or <c>amqps://</c> URI taken apart, so the password never travels inside a URI that might be logged.
/// With <c>amqps://</c> the broker's certificate must be valid for its host name and chain to a trusted root: the
/// system's roots, or those in <see cref="CaCertificateFile"/>. There is no switch to turn that off.
/// </summary>
public sealed record BrokerAddress(string Host, int Port, string VirtualHost, string Username, string Password, bool UseTls)
{
    public const string UriKey = "Transport:RabbitMq:Uri";
    public const string PasswordFileKey = "Transport:RabbitMq:PasswordFile";
    public const string CaCertificateFileKey = "Transport:RabbitMq:CaCertificateFile";
    public const string DefaultUri = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>PEM file of the root certificates a private broker's certificate chains to; the system's roots stay trusted too.</summary>
    public string? CaCertificateFile { get; init; }

    public static BrokerAddress Parse(string? uri, string key) => Parse(uri, key, null);

    /// <summary>With <paramref name="passwordFile"/>, the password comes from that file, and the URI must not carry one.</summary>
    public static BrokerAddress Parse(string? uri, string key, string? passwordFile, string passwordFileKey = PasswordFileKey)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != "amqp" && parsed.Scheme != "amqps"))
            throw new InvalidOperationException($"{key} must be an amqp:// or amqps:// URI, e.g. amqp://user:password@127.0.0.1:5672/.");
        var tls = parsed.Scheme == "amqps";
        var credentials = parsed.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/'));
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null;
        if (!string.IsNullOrEmpty(passwordFile))
        {
            if (password is not null)
                throw new InvalidOperationException($"{key} carries a password and {passwordFileKey} is set; set one of them.");
            var errors = new List<string>();
            password = SecretFile.Read(passwordFile, passwordFileKey, errors) ?? throw new InvalidOperationException(errors[0]);
        }
        return new BrokerAddress(
            parsed.Host,
            parsed.IsDefaultPort || parsed.Port <= 0 ? (tls ? 5671 : 5672) : parsed.Port,
            vhost.Length == 0 ? "/" : vhost,
            credentials[0].Length == 0 ? "guest" : Uri.UnescapeDataString(credentials[0]),
            password ?? "guest",
            tls);
    }

    /// <summary>
    /// <c>Transport:RabbitMq:Uri</c> (or <paramref name="uri"/>, e.g. a command-line option named <paramref name="uriKey"/>),
    /// with <c>Transport:RabbitMq:PasswordFile</c> and <c>Transport:RabbitMq:CaCertificateFile</c>.
    /// </summary>
    public static BrokerAddress FromConfiguration(IConfiguration configuration, string? uri = null, string uriKey = UriKey)
    {
        var passwordFile = configuration[PasswordFileKey];
        uri ??= configuration[UriKey] ?? (string.IsNullOrEmpty(passwordFile) ? DefaultUri : "amqp://guest@127.0.0.1:5672/");
        var caFile = configuration[CaCertificateFileKey];
        var broker = Parse(uri, uriKey, passwordFile);
        if (string.IsNullOrEmpty(caFile))
            return broker;
        _ = ReadRoots(caFile);
        return broker with { CaCertificateFile = caFile };
    }

    /// <summary>The URI without its password, for messages to people.</summary>
    public string Display => $"{(UseTls ? "amqps" : "amqp")}://{Username}@{Host}:{Port}/{(VirtualHost == "/" ? "" : Uri.EscapeDataString(VirtualHost))}";

    /// <summary>Connects as <see cref="Username"/>, and stamps that name as the verified identity (<c>user_id</c>) on everything sent.</summary>
    public void Configure(IRabbitMqBusFactoryConfigurator cfg)
    {
        var validate = UseTls ? CertificateValidation(TrustedRoots()) : null;
        cfg.Host(Host, (ushort)Port, VirtualHost, h =>
        {
            h.Username(Username);
            h.Password(Password);
            h.PublisherConfirmation = true;
            if (UseTls)
            {
                h.UseSsl(s =>
                {
                    s.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
                    s.ServerName = Host;
                    s.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable);
                    s.CertificateValidationCallback = validate;
                });
            }
        });
        cfg.UseVerifiedIdentity(Username);
    }

    /// <summary>The roots in <see cref="CaCertificateFile"/>, for other connections to the same broker; null when there is no such file.</summary>
    public X509Certificate2Collection? TrustedRoots() => CaCertificateFile is null ? null : ReadRoots(CaCertificateFile);

    /// <summary>
    /// Accepts a certificate only when it names the host and chains to a trusted root. MassTransit alone would accept chain errors
    /// (an untrusted or self-signed certificate), so this callback decides instead of its defaults.
    /// </summary>
    public static RemoteCertificateValidationCallback CertificateValidation(X509Certificate2Collection? trustedRoots) => (_, certificate, chain, errors) =>
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        if (errors == SslPolicyErrors.None)
            return true;
        if (trustedRoots is null || trustedRoots.Count == 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    };

    private static X509Certificate2Collection ReadRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"{CaCertificateFileKey}: cannot read certificates from '{path}': {e.Message}");
        }
        if (roots.Count == 0)
            throw new InvalidOperationException($"{CaCertificateFileKey}: '{path}' holds no PEM certificate.");
        return roots;
    }

    public override string ToString() => Display;
}
