#!/usr/bin/env python3
"""Deletes one tag through the registry-cleaner worker with pika, and waits for its result event by RequestId.

    AMQP_URL=amqp://user:password@rabbitmq.example.com:5672/ python3 delete_tag.py REGISTRY REPOSITORY TAG [--reason TEXT]

Prints the result event (plain JSON); exits 0 when the tag was deleted or already absent, 1 when the deletion failed,
2 when no result came within --timeout seconds.
"""
import argparse
import json
import os
import sys
import time
import uuid

import pika

EVENTS = "registry-cleaner.events"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("registry")
    parser.add_argument("repository")
    parser.add_argument("tag")
    parser.add_argument("--reason")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    parameters = pika.URLParameters(os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"))
    connection = pika.BlockingConnection(parameters)
    channel = connection.channel()

    # The worker declares the exchange when it starts; declaring it alike here lets this script run first.
    channel.exchange_declare(EVENTS, exchange_type="topic", durable=True)
    # A queue of our own, bound to both result events of this registry before the command is sent, so the result
    # cannot be missed. (Topic wildcards match whole words: "deletion-*" is no pattern, hence two bindings.)
    queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
    for event in ("deletion-succeeded", "deletion-failed"):
        channel.queue_bind(queue, EVENTS, routing_key=f"{event}.{args.registry}")

    request_id = str(uuid.uuid4())
    command = {"requestId": request_id, "registry": args.registry, "repository": args.repository, "tag": args.tag,
               "reason": args.reason, "requestedBy": os.environ.get("REQUESTED_BY", "delete_tag.py")}
    channel.confirm_delivery()
    channel.basic_publish("delete-tag", "", json.dumps(command), mandatory=True, properties=pika.BasicProperties(
        content_type="application/json", delivery_mode=2,  # persistent
        # RabbitMQ checks user_id against the connection's user: the worker can trust it (Registries__<name>__AllowedPublishers).
        user_id=parameters.credentials.username))

    deadline = time.monotonic() + args.timeout
    for method, properties, body in channel.consume(queue, auto_ack=True, inactivity_timeout=1):
        if method is not None:
            event = json.loads(body)
            if event["requestId"] == request_id:
                print(json.dumps(event))
                connection.close()
                return 0 if properties.type == "DeletionSucceeded" else 1
        if time.monotonic() > deadline:
            print(f"no result for request {request_id} within {args.timeout:.0f} s", file=sys.stderr)
            connection.close()
            return 2


if __name__ == "__main__":
    sys.exit(main())
