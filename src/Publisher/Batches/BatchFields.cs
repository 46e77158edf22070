namespace RegistryCleaner.Publisher.Batches;

/// <summary>One request as a file states it, before any check. <see cref="Line"/> is where it starts (1-based).</summary>
public sealed record BatchFields(int Line, string? Registry, string? Repository, string? Tag, string? Reason, string? RequestId);

/// <summary>A line that cannot be sent, and why, in words that say how to fix it.</summary>
public sealed record BatchProblem(int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}
