namespace RegistryCleaner.Worker.Messaging;

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

    /// <summary>
    /// Declares the worker's queues, and their <c>_error</c> queues, as quorum queues, replicated across a RabbitMQ cluster.
    /// The virtual host must create quorum queues by default too (<c>rabbitmqctl add_vhost NAME --default-queue-type quorum</c>),
    /// because publishers declare the queues they send to without a type; the worker checks both at start-up.
    /// </summary>
    public bool QuorumQueues { get; set; }
}
