using RegistryCleaner.Contracts;

namespace RegistryCleaner.Common.Validation;

/// <summary>Why a command is not carried out, as its failure event reports it.</summary>
public sealed record Refusal(FailureKind Kind, string Detail);
