"""``stride rootlets``: analyse SDR stimulation recordings and simulate synthetic ones.

``stride rootlets analyze FILE [--montage M.json] [--rule-set NAME] [--config C.json]
[--json]`` reads an EDF+ file or CSV folder and prints a table per root and side, or the
spec's JSON. ``stride rootlets simulate --seed N --out FILE.edf`` writes a synthetic
session with its ground truth (``FILE.truth.json``) and montage (``FILE.montage.json``)
beside it. ``stride rootlets replay FILE --to URL --token T [--speed X]`` streams a
recording to a live operating-room session (see ``rootlets_replay``); ``stride rootlets
watch FOLDER --to URL --token T`` sends the stimulations of EDF+ files a monitoring system
exports there, as they are written (see ``rootlets_watch``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from stride.commands import SubParsers
from stride.commands.device_client import DeviceClient
from stride.commands.rootlets_replay import replay
from stride.commands.rootlets_watch import DEFAULT_POLL_S, watch_folder
from stride.core.errors import StrideError
from stride.core.rootlets import (
    DEFAULT_CONFIG,
    DEFAULT_MONTAGE,
    RULE_SETS,
    analyze_recording,
    format_table,
    get_rule_set,
    load_montage,
    read_recording,
    session_to_json,
)
from stride.core.rootlets.config import load_config
from stride.core.rootlets.csv_folder import write_csv_folder
from stride.core.rootlets.edf import write_edf
from stride.core.rootlets.errors import UnknownChannel
from stride.core.rootlets.montage import montage_to_mapping
from stride.core.rootlets.simulate import (
    SIMULATION_MONTAGE,
    SimulationSettings,
    simulate_session,
)


def register(commands: SubParsers) -> None:
    """Add ``stride rootlets analyze``, ``simulate``, ``replay`` and ``watch`` to ``commands``."""
    rootlets = commands.add_parser("rootlets", help="SDR rootlet stimulation recordings")
    actions = rootlets.add_subparsers(dest="action", metavar="ACTION", required=True)

    analyze = actions.add_parser(
        "analyze", help="grade a session and suggest rootlets (the surgeon decides)")
    analyze.add_argument("file", type=Path, help="EDF+ file or CSV folder of the session")
    analyze.add_argument("--montage", type=Path,
                         help="montage JSON (default: the spec's default map)")
    analyze.add_argument("--rule-set", default="phillips-park-v1", metavar="NAME",
                         help=f"grading rule set: {', '.join(RULE_SETS)}")
    analyze.add_argument("--config", type=Path,
                         help="session config JSON overriding guards, budget, windows, "
                              "target muscles")
    analyze.add_argument("--json", action="store_true", help="print the spec's JSON")
    analyze.set_defaults(handler=_analyze)

    simulate = actions.add_parser("simulate", help="write a synthetic session and its ground "
                                                   "truth")
    simulate.add_argument("--seed", type=int, required=True, help="seed (same seed, same file)")
    simulate.add_argument("--out", type=Path, required=True,
                          help="output .edf file (or folder with --format csv)")
    simulate.add_argument("--format", choices=("edf", "csv"), default="edf")
    simulate.add_argument("--rootlets", type=int, default=70, help="number of rootlets (70)")
    simulate.add_argument("--sfreq", type=int, default=10_000, help="sampling rate, Hz (10000)")
    simulate.add_argument("--train-duration", type=float, default=1.0,
                          help="train length, s (1.0)")
    simulate.add_argument("--mains", type=float, choices=(50.0, 60.0), default=50.0,
                          help="mains hum frequency, Hz (50)")
    simulate.add_argument("--spec-montage", action="store_true",
                          help="record only the spec's 11 default channels (default: 17)")
    simulate.set_defaults(handler=_simulate)

    replay = actions.add_parser(
        "replay", help="stream a recording to a live session's device endpoint")
    replay.add_argument("file", type=Path, help="EDF+ file or CSV folder of the session")
    replay.add_argument("--to", required=True, metavar="URL",
                        help="the device address shown when the session was started")
    replay.add_argument("--token", required=True, help="the session's device token")
    replay.add_argument("--speed", type=float, default=1.0,
                        help="1 real time (default), 2 twice as fast, 0 as fast as possible")
    replay.add_argument("--config", type=Path,
                        help="the session's config JSON, if it changes the windows")
    replay.set_defaults(handler=_replay)

    watch = actions.add_parser(
        "watch", help="send the stimulations of EDF+ files exported to a folder to a live "
                      "session, as they are written")
    watch.add_argument("folder", type=Path, help="the folder the monitoring system exports "
                                                 ".edf files to")
    watch.add_argument("--to", required=True, metavar="URL",
                       help="the device address shown when the session was started")
    watch.add_argument("--token", required=True, help="the session's device token")
    watch.add_argument("--state", type=Path, metavar="FILE",
                       help="where to remember what was sent (default: a file in FOLDER "
                            "named after the address)")
    watch.add_argument("--config", type=Path,
                       help="the session's config JSON, if it changes the windows")
    watch.add_argument("--poll", type=float, default=DEFAULT_POLL_S, metavar="SECONDS",
                       help=f"seconds between looks at the folder ({DEFAULT_POLL_S:g})")
    watch.add_argument("--once", action="store_true",
                       help="send what is complete now and exit (default: follow the folder "
                            "until Ctrl-C)")
    watch.set_defaults(handler=_watch)


def _analyze(args: argparse.Namespace) -> int:
    montage = DEFAULT_MONTAGE if args.montage is None else load_montage(args.montage)
    config = DEFAULT_CONFIG if args.config is None else load_config(args.config)
    rule_set = get_rule_set(args.rule_set)
    rule_set.check(montage, config)  # settings first: no need to read a file to refuse them
    try:
        recording = read_recording(args.file)
        result = analyze_recording(recording, montage, rule_set, config)
    except UnknownChannel as error:
        sidecar = _beside(Path(args.file), "montage")
        if args.montage is not None or not sidecar.is_file():
            raise
        # `stride rootlets simulate` writes the montage of its extra channels beside the
        # recording: point at it rather than guess it silently.
        raise UnknownChannel(f"{error.message} A montage lies beside the recording: "
                             f"add --montage {sidecar}.") from None
    # A reader that goes away early (`| head`) is handled once, in stride.cli.main.
    if args.json:
        sys.stdout.write(json.dumps(session_to_json(result), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(format_table(result))
    return 0


def _beside(out: Path, kind: str) -> Path:
    return out.parent / f"{out.stem}.{kind}.json"


def _simulate(args: argparse.Namespace) -> int:
    settings = SimulationSettings(
        seed=args.seed,
        rootlets=args.rootlets,
        sfreq=float(args.sfreq),
        montage=DEFAULT_MONTAGE if args.spec_montage else SIMULATION_MONTAGE,
        train_duration_s=args.train_duration,
        mains_hz=args.mains,
    )
    session = simulate_session(settings)
    try:
        if args.format == "csv":
            write_csv_folder(session.recording, args.out)
        else:
            write_edf(session.recording, args.out, note="SYNTHETIC-Stride-session")
        truth = _beside(args.out, "truth")
        montage = _beside(args.out, "montage")
        truth.write_text(json.dumps(session.truth_json(), indent=1) + "\n", encoding="utf-8")
        montage.write_text(json.dumps(montage_to_mapping(settings.montage), indent=1) + "\n",
                           encoding="utf-8")
    except OSError as error:
        raise StrideError(f"Cannot write the simulated session to {args.out}: "
                          f"{error.strerror}.", code="output-file") from None
    recording = session.recording
    print(f"Synthetic session (seed {args.seed}): {len(session.truth)} rootlets, "
          f"{len(recording.stimulations)} stimulations, {len(recording.labels)} channels, "
          f"{recording.sfreq:g} Hz, {recording.duration_s:.0f} s -> {args.out}")
    print(f"Ground truth: {truth}; montage: {montage}")
    flag = "" if args.spec_montage else f" --montage {montage}"
    print(f"Analyse it with: stride rootlets analyze {args.out}{flag}")
    return 0


def _replay(args: argparse.Namespace) -> int:
    if args.speed < 0:
        raise StrideError("--speed must be 0 (as fast as possible) or more.", code="speed")
    config = DEFAULT_CONFIG if args.config is None else load_config(args.config)
    client = DeviceClient(args.to, args.token)  # checks the address before reading the file
    outcome = replay(read_recording(args.file), client=client, speed=args.speed,
                     config=config)
    print(outcome.tally.summary())
    return 0 if outcome.tally.ok else 1


def _watch(args: argparse.Namespace) -> int:
    if not args.poll > 0:
        raise StrideError("--poll must be a number of seconds above 0.", code="poll")
    config = DEFAULT_CONFIG if args.config is None else load_config(args.config)
    return watch_folder(args.folder, client=DeviceClient(args.to, args.token),
                        state_path=args.state, config=config, poll_s=args.poll,
                        once=args.once)
