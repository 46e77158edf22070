namespace RegistryCleaner.Publisher.Messaging;

/// <summary>A failure the Publisher explains in one line and turns into its exit code.</summary>
public sealed class PublisherException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int TimeoutOrUsage = 2;
}
