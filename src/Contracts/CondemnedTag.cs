namespace RegistryCleaner.Contracts;

/// <summary>A tag a retention run deletes, and the rule that condemned it.</summary>
public record CondemnedTag
{
    public string Tag { get; init; } = "";
    public DateTimeOffset? Created { get; init; }
    public string Rule { get; init; } = "";
}
