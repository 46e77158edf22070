namespace RegistryCleaner.Bench;

/// <summary>A run that could not produce its figure; the message says why, and goes into the results instead of the figure.</summary>
public sealed class BenchFailure(string message) : Exception(message);
