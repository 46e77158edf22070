using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Configuration;
using RegistryCleaner.Common.Messaging;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Authorization;

/// <summary>
/// An <c>amqps://</c> broker address connects only to a broker whose certificate names its host and chains to a trusted root.
/// The "broker" here is a TLS listener that reports whether the client completed the handshake and then spoke AMQP.
/// </summary>
public sealed class BrokerTlsSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rc-tls-").FullName;
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _server;

    public BrokerTlsSpecs()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=registry-cleaner test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = serverRequest.Create(_ca, now.AddDays(-1), now.AddDays(1), [1, 2, 3, 4]).CopyWithPrivateKey(serverKey);
        _server = X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string CaFile()
    {
        var path = Path.Combine(_dir, "ca.pem");
        File.WriteAllText(path, _ca.ExportCertificatePem());
        return path;
    }

    [Fact]
    public async Task A_broker_certificate_from_an_unknown_authority_is_refused()
    {
        var outcome = await ConnectAsync("localhost", caFile: null);

        Assert.Equal(Handshake.RefusedByClient, outcome);
    }

    [Fact]
    public async Task A_broker_certificate_from_the_configured_authority_is_accepted()
    {
        var outcome = await ConnectAsync("localhost", CaFile());

        Assert.Equal(Handshake.SpokeAmqp, outcome);
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_refused_even_from_a_trusted_authority()
    {
        var outcome = await ConnectAsync("127.0.0.1", CaFile());

        Assert.Equal(Handshake.RefusedByClient, outcome);
    }

    [Fact]
    public async Task The_plain_connection_of_the_failed_command_trusts_the_configured_authority_too()
    {
        var outcome = await ConnectPlainAsync("localhost", CaFile());

        Assert.Equal(Handshake.SpokeAmqp, outcome);
    }

    [Fact]
    public async Task The_plain_connection_refuses_a_certificate_from_an_unknown_authority()
    {
        var outcome = await ConnectPlainAsync("localhost", caFile: null);

        Assert.Equal(Handshake.RefusedByClient, outcome);
    }

    [Fact]
    public void An_unreadable_authority_file_names_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:RabbitMq:Uri"] = "amqps://cleaner:pw@rabbit.example.com/",
            ["Transport:RabbitMq:CaCertificateFile"] = Path.Combine(_dir, "absent.pem"),
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => BrokerAddress.FromConfiguration(configuration));

        Assert.StartsWith("Transport:RabbitMq:CaCertificateFile", error.Message);
    }

    private enum Handshake { RefusedByClient, SpokeAmqp }

    private async Task<Handshake> ConnectAsync(string host, string? caFile)
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var broker = new BrokerAddress(host, port, "/", "cleaner", "pw", UseTls: true) { CaCertificateFile = caFile };
        var bus = Bus.Factory.CreateUsingRabbitMq(broker.Configure);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var starting = bus.StartAsync(giveUp.Token);
        try
        {
            return await ServeOnceAsync(listener, giveUp.Token);
        }
        finally
        {
            await giveUp.CancelAsync();
            await Record.ExceptionAsync(() => starting);
            await bus.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The RabbitMQ.Client connection that <c>registry-cleaner failed</c> and the worker's start-up checks build.</summary>
    private async Task<Handshake> ConnectPlainAsync(string host, string? caFile)
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var broker = new BrokerAddress(host, port, "/", "cleaner", "pw", UseTls: true) { CaCertificateFile = caFile };
        var factory = BrokerConnection.Factory(broker);
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(5);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var connecting = factory.CreateConnectionAsync(giveUp.Token);
        try
        {
            return await ServeOnceAsync(listener, giveUp.Token);
        }
        finally
        {
            await giveUp.CancelAsync();
            await Record.ExceptionAsync(() => connecting);
        }
    }

    private async Task<Handshake> ServeOnceAsync(TcpListener listener, CancellationToken ct)
    {
        using var client = await listener.AcceptTcpClientAsync(ct);
        await using var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _server }, ct);
            var header = new byte[4];
            await tls.ReadExactlyAsync(header, ct);
            return Encoding.ASCII.GetString(header) == "AMQP" ? Handshake.SpokeAmqp : throw new InvalidOperationException("The client spoke something else.");
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return Handshake.RefusedByClient;
        }
    }
}
