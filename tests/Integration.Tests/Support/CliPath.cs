namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>The registry-cleaner CLI as built in its own output folder, copied to <c>cli/</c> beside the tests by the project file.</summary>
internal static class CliPath
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "cli", "registry-cleaner.dll");
}
