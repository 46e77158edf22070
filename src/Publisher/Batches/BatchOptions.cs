using RegistryCleaner.Publisher.Commands;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>What <c>delete-tags</c> was asked to do.</summary>
public sealed record BatchOptions(
    string Path,
    string? Format,
    bool SkipInvalid,
    bool DryRun,
    bool NoProgress,
    string? Reason,
    string? RequestedBy,
    CommandSettings Settings);
