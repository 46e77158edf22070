using MassTransit;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Validation;

namespace RegistryCleaner.Worker.Consumers;

public sealed class DeleteRepositoryConsumer(CommandValidator validator, DeletionCommandHandler handler) : IConsumer<DeleteRepository>
{
    public Task Consume(ConsumeContext<DeleteRepository> context)
    {
        var command = context.Message;
        var refusal = validator.Check(command, out var client);
        return handler.HandleAsync(context, DeletionTarget.Of(command), refusal, client,
            (registry, attempts, ct) => registry.DeleteRepositoryAsync(command.Repository, command.DeleteTagsFirst, attempts, ct));
    }
}
