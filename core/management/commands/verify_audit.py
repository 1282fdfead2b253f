"""Check the audit trail's hash chains: every event's hash against its content, every link against the event
before, the places (1, 2, 3 … with none missing) and each chain's end against its head; and each day's kept head
(`AuditAnchor`) against the event now at its place. Reads the events in order, a chunk at a time, so memory stays
the same however long the trail is. Exits non-zero, naming the first broken link of each chain, when one fails."""

import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ...audit import event_hash, target_label
from ...models import AuditAnchor, AuditChainHead, AuditEvent

CHUNK = 2000


class Chain:
    """What the walk knows of one chain: its last event, how many it read, and its first break."""

    def __init__(self, name: str):
        self.name = name
        self.count = 0
        self.sequence = 0
        self.hash = ""
        self.broken = ""
        self.anchors = dict(AuditAnchor.objects.filter(chain=name).values_list("sequence", "hash"))

    def check(self, event: AuditEvent, label: str) -> None:
        """Take the next event; note the first thing wrong with the chain and stop checking it after that."""
        self.count += 1
        if self.broken:
            return
        where = f"event {event.sequence} (id {event.pk}, {event.action})"
        if event.sequence != self.sequence + 1:
            gone = f"event {self.sequence + 1} is" if event.sequence == self.sequence + 2 else "events are"
            self.broken = f"{where}: {gone} missing before it (the last one read was {self.sequence})"
        elif event.previous_hash != self.hash:
            self.broken = f"{where}: its link does not match the hash of event {self.sequence} before it"
        elif event_hash(event, label) != event.hash:
            self.broken = f"{where}: its content does not match its hash (changed after it was written)"
        elif event.sequence in self.anchors and self.anchors[event.sequence] != event.hash:
            self.broken = f"{where}: it does not match the head kept for this place (the chain was rewritten)"
        self.sequence, self.hash = event.sequence, event.hash

    def finish(self, head: AuditChainHead | None) -> None:
        """Check that the chain ends where its head says and that no kept head lies beyond its end."""
        if self.broken:
            return
        if head is None:
            self.broken = "the chain has no head"
        elif (head.sequence, head.hash) != (self.sequence, self.hash):
            self.broken = (
                f"the chain ends at event {self.sequence} but its head says {head.sequence}: "
                "events were removed from its end, or added without the head"
            )
        elif self.anchors and max(self.anchors) > self.sequence:
            self.broken = f"a head was kept at event {max(self.anchors)}, beyond the chain's end"


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chains and report, for each chain, that it is intact or its first broken "
        "link. Exits with status 1 when any chain is broken."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        labels = {content_type.pk: target_label(content_type) for content_type in ContentType.objects.all()}
        heads = {head.chain: head for head in AuditChainHead.objects.all()}
        chains: list[Chain] = []
        events = AuditEvent.objects.order_by("chain", "sequence")
        # A progress bar with counts, rate and time left, as seed_scale and import_organisations show.
        with tqdm(total=events.count(), desc="Audit events", unit="events", file=self.stderr._out) as bar:
            for event in events.iterator(chunk_size=CHUNK):
                if not chains or chains[-1].name != event.chain:
                    chains.append(Chain(event.chain))
                chains[-1].check(event, labels.get(event.target_type_id, ""))
                bar.update()
        for chain in chains:
            chain.finish(heads.pop(chain.name, None))
        for name, head in heads.items():  # a head with no events left at all
            if head.sequence:
                chain = Chain(name)
                chain.broken = f"its head says {head.sequence} events, but none is left"
                chains.append(chain)
        broken = [chain for chain in chains if chain.broken]
        for chain in chains:
            if chain.broken:
                self.stdout.write(self.style.ERROR(f"Chain {chain.name}: BROKEN: {chain.broken}."))
            else:
                self.stdout.write(f"Chain {chain.name}: {chain.count} events, intact (head {chain.hash[:16]}).")
        total = sum(chain.count for chain in chains)
        if broken:
            raise CommandError(
                f"The audit trail is broken in {len(broken)} of {len(chains)} chains ({total} events checked)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit trail is intact: {total} events in {len(chains)} chains, "
                f"checked in {time.monotonic() - started:.1f} s."
            )
        )
