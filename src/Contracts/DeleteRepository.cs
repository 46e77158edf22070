namespace RegistryCleaner.Contracts;

/// <summary>Delete a repository; with <see cref="DeleteTagsFirst"/>, empty it first where the registry requires that.</summary>
public record DeleteRepository
{
    public Guid RequestId { get; init; }
    public string Registry { get; init; } = "";
    public string Repository { get; init; } = "";
    public bool DeleteTagsFirst { get; init; }
    public string? Reason { get; init; }
    public string? RequestedBy { get; init; }
}
