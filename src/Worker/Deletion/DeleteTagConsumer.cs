using MassTransit;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Retention;

namespace RegistryCleaner.Worker.Deletion;

public sealed class DeleteTagConsumer(CommandValidator validator, DeletionCommandHandler handler) : IConsumer<DeleteTag>
{
    public async Task Consume(ConsumeContext<DeleteTag> context)
    {
        var command = context.Message;
        var publisher = context.VerifiedPublisher();
        var refusal = validator.Check(command, publisher, out var client);
        if (refusal is null && client is not null && command.OnlyIfUntagged is { } subject)
            refusal = await ReferrerPrecondition.CheckAsync(client, command.Repository, command.Tag, subject, context.GetRetryAttempt(), context.CancellationToken);
        await handler.HandleAsync(context, DeletionTarget.Of(command, publisher), refusal, client,
            (registry, attempts, ct) => registry.DeleteTagAsync(command.Repository, command.Tag, attempts, ct));
    }
}
