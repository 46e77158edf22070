using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Bench.Scenarios;

/// <summary>
/// (5) The real worker process fed 150 hostile messages among valid commands, all published raw in one go: 300 KB envelope
/// headers, 120 KB AMQP header tables, 1–2 MB fields, traversal and look-alike names, deep nesting, broken JSON. Every valid
/// command must be deleted, every hostile one with a RequestId must end in DeletionFailed, every hostile one must be kept in
/// <c>delete-tag_error</c>, and the worker's peak resident memory (VmHWM) is the figure.
/// </summary>
public static class HostileMemory
{
    public const int Hostile = 150;
    public const long TargetBytes = 250L * 1024 * 1024;

    public sealed record Figures(int Valid, int Hostile, int Rejected, int Kept, TimeSpan Elapsed, long PeakBytes, string LoadAverage);

    public static async Task<Figures> RunAsync(BenchEnvironment env, BenchBus bus, int valid = 2_000)
    {
        var commands = Workload.Commands("hostile-valid", valid);
        await using var sandbox = await Workload.SandboxAsync(commands);
        await BenchBus.PurgeAsync(env.RabbitMqUri, QueueNames.DeleteTag);
        await BenchBus.PurgeAsync(env.RabbitMqUri, QueueNames.DeleteTag + "_error");
        await using var worker = WorkerProcess.Start(env, sandbox.EndpointOf(WorkerProcess.Registry), new WorkerSettings());

        var hostile = Enumerable.Range(0, Hostile).Select(HostileMessage).ToList();
        var answered = hostile.Where(h => h.RequestId is not null).Select(h => new DeleteTag { RequestId = h.RequestId!.Value, Registry = "", Repository = "", Tag = "" });
        var batch = new ResultBatch([.. commands, .. answered]);
        bus.Track(batch);

        var factory = new ConnectionFactory { Uri = new Uri(env.RabbitMqUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var started = DateTime.UtcNow;
        var perHostile = commands.Count / Hostile;
        for (var i = 0; i < commands.Count; i++)
        {
            batch.MarkSent(i);
            await PublishAsync(channel, Encoding.UTF8.GetBytes(Envelope(JsonSerializer.Serialize(commands[i], JsonSerializerOptions.Web), [])), null);
            if (i % perHostile == 0 && i / perHostile < Hostile)
            {
                var (body, headers, _) = hostile[i / perHostile];
                await PublishAsync(channel, body, headers);
            }
        }
        await batch.WaitAsync(TimeSpan.FromSeconds(60), worker);
        var elapsed = DateTime.UtcNow - started;
        var kept = await WaitForErrorQueueAsync(channel, Hostile, worker);
        var figures = batch.Figures();
        var left = sandbox.State.TagCount(WorkerProcess.Registry);
        if (figures.Deleted != commands.Count || left != 0)
            throw new BenchFailure($"{figures.Deleted:N0} of {commands.Count:N0} valid commands deleted, {left:N0} tags left ({figures.FirstFailure}).");
        return new Figures(commands.Count, Hostile, figures.Failed, (int)kept, elapsed, worker.PeakResidentBytes() ?? 0,
            File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var load ? string.Join(' ', load) : "");
    }

    private static async Task<uint> WaitForErrorQueueAsync(IChannel channel, int expected, ChildProcess worker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        uint count;
        while ((count = (await channel.QueueDeclarePassiveAsync(QueueNames.DeleteTag + "_error")).MessageCount) < expected && DateTime.UtcNow < deadline)
        {
            if (worker.Exited() is { } reason)
                throw new BenchFailure(reason);
            await Task.Delay(200);
        }
        if (count != expected)
            throw new BenchFailure($"{count} of {expected} hostile messages were kept in {QueueNames.DeleteTag}_error.");
        return count;
    }

    /// <summary>One of ten kinds of hostile message; those that are commands carry a RequestId and get a DeletionFailed.</summary>
    private static (byte[] Body, Dictionary<string, object?>? Headers, Guid? RequestId) HostileMessage(int i)
    {
        var id = Guid.NewGuid();
        string Command(string registry, string repository, string tag, string? reason = null) => JsonSerializer.Serialize(
            new DeleteTag { RequestId = id, Registry = registry, Repository = repository, Tag = tag, Reason = reason }, JsonSerializerOptions.Web);
        byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
        var big = new string('h', 300 * 1024);
        return (i % 10) switch
        {
            0 => (Bytes(Envelope(Command(WorkerProcess.Registry, "bench/x", "../keep"), new() { ["X-Big"] = big })), null, id),
            1 => (Bytes(Envelope(Command(WorkerProcess.Registry, "bench/x", "../keep"), new() { ["RC-Redrive-Count"] = big })), null, id),
            2 => (Bytes(Envelope(Command(WorkerProcess.Registry, "bench/x", ".."), [])),
                Enumerable.Range(0, 60).ToDictionary(h => $"X-Spread-{h}", _ => (object?)new string('s', 2000)), id),
            3 => (Bytes(Envelope(Command(WorkerProcess.Registry, "bench/x", new string('t', 1024 * 1024)), [])), null, id),
            4 => (Bytes(Envelope(Command(WorkerProcess.Registry, "bench/x", "keep", new string('r', 2 * 1024 * 1024)), [])), null, id),
            5 => (Bytes(Envelope(Command("https://evil.example.com/v2/", "bench/x", "keep"), [])), null, id),
            6 => (Bytes(Envelope(Command(WorkerProcess.Registry, "bench/x", "keep\r\nX-Injected: 1"), [])), null, id),
            7 => (Bytes(Envelope(Command(WorkerProcess.Registry, "bench/tаrget", "kееp"), [])), null, id),
            8 => (Bytes(Envelope(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000), [])), null, null),
            _ => (Bytes("{\"messageType\":[\"urn:message:RegistryCleaner.Contracts:DeleteTag\"],\"message\":{\"requestId\":\"\u00ff"), null, null),
        };
    }

    private static string Envelope(string message, Dictionary<string, string> headers) =>
        $$$"""{"messageId":"{{{Guid.NewGuid()}}}","messageType":["urn:message:RegistryCleaner.Contracts:DeleteTag"],"message":{{{message}}},"headers":{{{JsonSerializer.Serialize(headers)}}}}""";

    private static async Task PublishAsync(IChannel channel, byte[] body, Dictionary<string, object?>? headers)
    {
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString(), Headers = headers };
        await channel.BasicPublishAsync("", QueueNames.DeleteTag, true, properties, body);
    }
}
