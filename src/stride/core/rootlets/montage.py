"""Montage: which muscle each channel records and which roots supply it.

The default map is the recording spec's table (label stems ``ADD``, ``VL``, ``TA``,
``HAM``, ``GAS`` on both sides, and ``ANAL`` without a side). A session may bring its own
montage as JSON ``{label: {"muscle": ..., "side": "L" | "R" | null, "roots": [...]}}``.
The sphincter channel is always labelled ``ANAL`` (spec); it has no side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stride.core.errors import StrideError
from stride.core.json_files import read_json_object
from stride.core.rootlets.anatomy import SideCode, SpinalRoot, parse_root, parse_side
from stride.core.rootlets.errors import MontageError, UnknownChannel

#: Label of the external anal sphincter channel (spec).
SPHINCTER_LABEL = "ANAL"


@dataclass(frozen=True, slots=True)
class MontageChannel:
    """One recorded channel: its label, muscle, side (``None`` for ANAL) and roots."""

    label: str
    muscle: str
    side: SideCode | None
    roots: tuple[SpinalRoot, ...]


@dataclass(frozen=True, slots=True)
class Montage:
    """A set of channels by label; ``name`` says where it came from (for messages)."""

    name: str
    channels: tuple[MontageChannel, ...]
    _by_label: dict[str, MontageChannel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_label: dict[str, MontageChannel] = {}
        for channel in self.channels:
            if channel.label in by_label:
                raise MontageError(f"Montage {self.name}: label '{channel.label}' appears twice.")
            by_label[channel.label] = channel
        object.__setattr__(self, "_by_label", by_label)

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels in montage order."""
        return tuple(channel.label for channel in self.channels)

    def __contains__(self, label: object) -> bool:
        return label in self._by_label

    def channel(self, label: str) -> MontageChannel:
        """Return the channel called ``label``.

        Raises
        ------
        UnknownChannel
            If the montage has no such label.
        """
        self.check_labels((label,))
        return self._by_label[label]

    def check_labels(self, labels: Iterable[str], *, where: str = "the recording") -> None:
        """Check that every label of ``where`` is in this montage.

        Raises
        ------
        UnknownChannel
            Naming the unknown labels and the known ones, and how to fix it.
        """
        unknown = [label for label in labels if label not in self._by_label]
        if unknown:
            raise UnknownChannel(
                f"Unknown channel label(s) in {where}: {', '.join(repr(u) for u in unknown)}. "
                f"The montage '{self.name}' knows: {', '.join(self.labels)}. Rename the "
                "channels to '<MUSCLE>-<L|R>' or 'ANAL', or pass a montage JSON that maps them."
            )


def _default_montage() -> Montage:
    # Source: the recording spec's default map (rootlet-recording.md, "Montage").
    stems = (
        ("ADD", "hip adductors", ("L2", "L3", "L4")),
        ("VL", "vastus lateralis (quadriceps)", ("L2", "L3", "L4")),
        ("TA", "tibialis anterior", ("L4", "L5")),
        ("HAM", "medial hamstrings", ("L5", "S1")),
        ("GAS", "gastrocnemius", ("S1", "S2")),
    )
    channels = [
        MontageChannel(f"{stem}-{side}", muscle, side, tuple(SpinalRoot(r) for r in roots))
        for side in SideCode
        for stem, muscle, roots in stems
    ]
    channels.append(
        MontageChannel(SPHINCTER_LABEL, "external anal sphincter", None,
                       (SpinalRoot.S2, SpinalRoot.S3, SpinalRoot.S4))
    )
    return Montage("default (recording spec)", tuple(channels))


#: The recording spec's default map: 10 leg channels and ANAL.
DEFAULT_MONTAGE = _default_montage()


def montage_from_mapping(data: object, *, name: str) -> Montage:
    """Build a montage from the JSON shape ``{label: {"muscle", "side", "roots"}}``.

    Raises
    ------
    MontageError
        If the shape or any value is wrong; the message names ``name`` and the label.
    """
    if not isinstance(data, Mapping) or not data:
        raise MontageError(
            f"Montage {name}: expected a JSON object "
            '{label: {"muscle": ..., "side": "L"|"R"|null, "roots": [...]}} with at least one '
            "channel."
        )
    channels = [_channel_from_mapping(label, entry, name) for label, entry in data.items()]
    return Montage(name, tuple(channels))


def _channel_from_mapping(label: object, entry: object, name: str) -> MontageChannel:
    where = f"Montage {name}, channel {label!r}"
    if not isinstance(label, str) or not label.strip():
        raise MontageError(f"{where}: labels must be non-empty strings.")
    if not isinstance(entry, Mapping):
        raise MontageError(f'{where}: expected {{"muscle": ..., "side": ..., "roots": [...]}}.')
    extra = sorted(set(entry) - {"muscle", "side", "roots"})
    if extra:
        raise MontageError(f"{where}: unknown key(s) {', '.join(map(str, extra))}; "
                           "allowed: muscle, side, roots.")
    muscle = entry.get("muscle")
    if not isinstance(muscle, str) or not muscle.strip():
        raise MontageError(f"{where}: 'muscle' must be a non-empty string.")
    raw_side = entry.get("side")
    raw_roots = entry.get("roots")
    try:
        side = None if raw_side is None else parse_side(str(raw_side), field="side")
        if not isinstance(raw_roots, Sequence) or isinstance(raw_roots, str) or not raw_roots:
            raise MontageError(f"{where}: 'roots' must be a non-empty list such as "
                               '["L4", "L5"].')
        roots = tuple(sorted({parse_root(str(r), field="roots") for r in raw_roots},
                             key=lambda root: root.level))
    except MontageError:
        raise
    except StrideError as error:
        raise MontageError(f"{where}: {error.message}") from None
    _check_label_side(label, side, where)
    return MontageChannel(label, muscle.strip(), side, roots)


def _check_label_side(label: str, side: SideCode | None, where: str) -> None:
    # Labels follow '<MUSCLE>-<SIDE>'; a suffix that disagrees with 'side' is a copy-paste
    # slip that would silently swap sides in the grading, so it is refused.
    if label == SPHINCTER_LABEL:
        if side is not None:
            raise MontageError(f"{where}: the sphincter channel has no side; use null.")
        return
    suffix = label.rsplit("-", 1)[-1] if "-" in label else None
    if side is None:
        raise MontageError(f"{where}: only '{SPHINCTER_LABEL}' may have no side; "
                           "set 'side' to \"L\" or \"R\".")
    if suffix in {s.value for s in SideCode} and suffix != side.value:
        raise MontageError(f"{where}: the label ends in '-{suffix}' but 'side' is "
                           f"'{side.value}'.")


def load_montage(path: Path) -> Montage:
    """Read a montage JSON file.

    Raises
    ------
    MontageError
        If the file is missing, not JSON, or not the montage shape.
    """
    data = read_json_object(
        path, what="a montage JSON file",
        example='{"TA-L": {"muscle": "tibialis anterior", "side": "L", "roots": ["L4", "L5"]}}',
        error=MontageError,
    )
    return montage_from_mapping(data, name=str(path))


def montage_to_mapping(montage: Montage) -> dict[str, dict[str, object]]:
    """Return the JSON shape of ``montage`` (the inverse of :func:`montage_from_mapping`)."""
    return {
        channel.label: {
            "muscle": channel.muscle,
            "side": None if channel.side is None else channel.side.value,
            "roots": [root.value for root in channel.roots],
        }
        for channel in montage.channels
    }
