using RegistryCleaner.Common.Validation;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>A command as the validator judged it: the configured registry it names (null when it names none), and why it is refused, if it is.</summary>
public sealed record Judgement(IRegistryClient? Client, Refusal? Refusal);
