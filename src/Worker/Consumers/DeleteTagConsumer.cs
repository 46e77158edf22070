using MassTransit;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Validation;

namespace RegistryCleaner.Worker.Consumers;

public sealed class DeleteTagConsumer(CommandValidator validator, DeletionCommandHandler handler) : IConsumer<DeleteTag>
{
    public Task Consume(ConsumeContext<DeleteTag> context)
    {
        var command = context.Message;
        var refusal = validator.Check(command, out var client);
        return handler.HandleAsync(context, DeletionTarget.Of(command), refusal, client,
            (registry, attempts, ct) => registry.DeleteTagAsync(command.Repository, command.Tag, attempts, ct));
    }
}
