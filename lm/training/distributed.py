"""Data-parallel training on PyTorch's own engine: torchrun starts the processes, each joins the
process group (gloo on CPU, NCCL on CUDA) and DistributedDataParallel averages the gradients.

Each of the W processes (ranks) reads its own rows of the B parallel text streams, B/W each, so
W processes compute the gradient of the same global batch one process would. The hidden state of
the streams is kept per rank and gathered into one (layers, B, hidden) state for a checkpoint,
which is why a run can resume with another number of processes. Only rank 0 writes.
"""

from __future__ import annotations

import os
from datetime import timedelta

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from ..cells import Hidden, map_hidden
from ..errors import LMError

STREAM_DIM = 1  # the batch axis of a hidden state in nn.RNN's layout: (layers, B, hidden)


class Ranks:
    """One process: every collective is the identity."""

    rank, world, local_rank = 0, 1, 0

    @property
    def main(self) -> bool:
        return self.rank == 0

    def rows(self, batch_size: int) -> slice:
        """This rank's streams out of batch_size."""
        share = batch_size // self.world
        return slice(self.rank * share, (self.rank + 1) * share)

    def wrap(self, model: torch.nn.Module, device: torch.device) -> torch.nn.Module:
        return model

    def agree(self, *flags: bool) -> tuple[bool, ...]:
        """Each flag, true if it is true on any rank."""
        return flags

    def mean(self, value: torch.Tensor) -> torch.Tensor:
        return value

    def gather(self, hidden: Hidden | None) -> Hidden | None:
        return hidden

    def share(self, obj):
        """Rank 0's value of obj, on every rank."""
        return obj

    def barrier(self) -> None:
        pass

    def close(self) -> None:
        pass


class Distributed(Ranks):
    def __init__(self, backend: str):
        self.rank, self.world = dist.get_rank(), dist.get_world_size()
        self.local_rank = int(os.environ.get("LOCAL_RANK", 0))
        self.backend = backend

    def wrap(self, model, device):
        ids = [device.index] if device.type == "cuda" else None
        # broadcast_buffers=False: the only buffer is the start state, which rank 0 alone sets.
        return DistributedDataParallel(model, device_ids=ids, broadcast_buffers=False)

    def agree(self, *flags: bool) -> tuple[bool, ...]:
        t = torch.tensor([1.0 if f else 0.0 for f in flags], device=self._device)
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
        return tuple(bool(v) for v in t.tolist())

    def mean(self, value):
        t = value.detach().clone().to(self._device)
        dist.all_reduce(t, op=dist.ReduceOp.SUM)
        return t / self.world

    def gather(self, hidden):
        if hidden is None:
            return None
        return map_hidden(self._gather, hidden)

    def _gather(self, h: torch.Tensor) -> torch.Tensor:
        h = h.contiguous().to(self._device)
        parts = [torch.empty_like(h) for _ in range(self.world)]
        dist.all_gather(parts, h)
        return torch.cat(parts, STREAM_DIM)

    def share(self, obj):
        box = [obj if self.main else None]
        dist.broadcast_object_list(box, src=0, device=self._device)
        return box[0]

    def barrier(self) -> None:
        dist.barrier()

    def close(self) -> None:
        if dist.is_initialized():
            # Every rank reaches here before any tears the group down: a rank that destroyed it
            # while another still used it ended that one in "terminate called without an active
            # exception" (about one run in five of the two-process test). A lost peer must not
            # hold the others, hence the timeout.
            try:
                if self.backend == "gloo":
                    dist.monitored_barrier(timeout=timedelta(seconds=30))
                else:
                    dist.barrier()
            except Exception:  # a rank already gone: nothing left to wait for
                pass
            dist.destroy_process_group()

    @property
    def _device(self) -> torch.device:
        return torch.device("cuda", torch.cuda.current_device()) if self.backend == "nccl" \
            else torch.device("cpu")


def under_torchrun() -> bool:
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def join(device: str) -> Ranks:
    """The process group torchrun set up this process for, or a single process."""
    if not under_torchrun():
        return Ranks()
    if dist.is_initialized():
        return Distributed(dist.get_backend())
    cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
    if cuda:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    backend = "nccl" if cuda else "gloo"
    # A long timeout: rank 0 validates and saves while the others wait at the next step.
    dist.init_process_group(backend, timeout=timedelta(minutes=30))
    return Distributed(backend)


def check_batch(batch_size: int, ranks: Ranks) -> None:
    if batch_size % ranks.world:
        kind = LMError if ranks.main else FollowsMain  # said once, by rank 0
        raise kind(f"--batch-size {batch_size} does not split over {ranks.world} processes: "
                   f"pick a multiple of {ranks.world}")


def slice_rows(hidden: Hidden | None, rows: slice) -> Hidden | None:
    """This rank's rows of a whole (gathered) hidden state."""
    if hidden is None:
        return None
    if isinstance(hidden, (tuple, list)):
        return tuple(h[:, rows].contiguous() for h in hidden)
    return hidden[:, rows].contiguous()


class PeerLost(LMError):
    """Another training process ended (or could not be reached) in the middle of the run."""


class FollowsMain(LMError):
    """Rank 0 stopped on an error before training began (and printed it): the other ranks stop
    with it, without saying it again."""


def is_peer_failure(e: BaseException) -> bool:
    """A collective failed because a peer went away: gloo and NCCL raise these."""
    kinds = tuple(k for k in (getattr(dist, "DistError", None), getattr(dist, "DistBackendError", None),
                              getattr(dist, "DistNetworkError", None)) if k)
    return isinstance(e, kinds) or (isinstance(e, RuntimeError) and any(
        w in str(e) for w in ("Connection closed by peer", "Connection reset", "gloo", "NCCL")))
