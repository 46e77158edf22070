namespace RegistryCleaner.Worker.Messaging;

public sealed class ConsumerOptions
{
    public const string Section = "Consumers";

    /// <summary>Commands one worker process handles at the same time, per endpoint.</summary>
    public int ConcurrentMessageLimit { get; set; } = 64;
}
