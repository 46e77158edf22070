using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>Either result event, as the Publisher prints it.</summary>
public sealed record ResultEvent(DeletionSucceeded? Succeeded, DeletionFailed? Failed)
{
    public Guid RequestId => Succeeded?.RequestId ?? Failed!.RequestId;
    public bool IsSuccess => Succeeded is not null;
}
