"""Check the audit trail's hash chains: every event's hash against its content, every link against the event
before, the places (1, 2, 3 … with none missing) and each chain's end against its head; and each day's kept head
(`AuditAnchor`) against the event now at its place. Reads the events in order, a chunk at a time, so memory stays
the same however long the trail is. Exits non-zero, naming the first broken link of each chain, when one fails."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ...audit import Chain, target_labels
from ...models import AuditChainHead, AuditEvent

CHUNK = 2000


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chains and report, for each chain, that it is intact or its first broken "
        "link. Exits with status 1 when any chain is broken."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        labels = target_labels()
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
