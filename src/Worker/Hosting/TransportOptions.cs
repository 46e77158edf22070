namespace RegistryCleaner.Worker.Hosting;

public enum TransportKind
{
    InMemory,
    RabbitMq,
}

public sealed class TransportOptions
{
    public const string Section = "Transport";

    public TransportKind Kind { get; set; } = TransportKind.InMemory;
    public RabbitMqOptions RabbitMq { get; set; } = new();
}

public sealed class RabbitMqOptions
{
    public string Uri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Messages the broker hands out ahead of processing, per endpoint.</summary>
    public int PrefetchCount { get; set; } = 64;
}
