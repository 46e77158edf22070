using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// Test-only: while the <c>DeleteTag</c> for <paramref name="tag"/> is handled, breaks the worker's broker connection the way
/// the oversized-header bug did (a header frame above the broker's frame limit, which makes RabbitMQ close the connection),
/// then fails the handling. Exists only in the test assembly; a test host registers it with
/// <see cref="Register"/>, so no configuration of the worker can switch it on.
/// </summary>
public sealed class DropConnectionSwitch(string tag) : IFilter<ConsumeContext>
{
    private int _handlings;

    /// <summary>Deliveries of the chosen message that reached the handling (retries of one delivery not counted).</summary>
    public int Handlings => Volatile.Read(ref _handlings);

    public void Register(IBusRegistrationConfigurator bus) =>
        bus.AddConfigureEndpointsCallback((_, endpoint) => endpoint.UseFilter(this));

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        if (!context.TryGetMessage<DeleteTag>(out var command) || command.Message.Tag != tag)
        {
            await next.Send(context);
            return;
        }
        if (context.GetRetryAttempt() == 0)
        {
            Interlocked.Increment(ref _handlings);
            var channel = context.ReceiveContext.GetPayload<ChannelContext>();
            await OversizedFrameAsync(channel.ConnectionContext.Connection);
            await Eventually.TrueAsync(() => !channel.Channel.IsOpen, describe: () => "the channel stayed open");
        }
        throw new InvalidOperationException("The test switch dropped the connection while this message was handled.");
    }

    private static async Task OversizedFrameAsync(IConnection connection)
    {
        try
        {
            // Not disposed: closing it would wait for an answer from a connection the broker is closing.
            var channel = await connection.CreateChannelAsync();
            var headers = new Dictionary<string, object?> { ["X-Oversized"] = new string('x', 200_000) };
            await channel.BasicPublishAsync("", "nowhere", false, new BasicProperties { Headers = headers }, ReadOnlyMemory<byte>.Empty);
        }
        catch (Exception)
        {
            // The broker closes the connection under the publish; that is the point.
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("dropConnectionSwitch");
}
