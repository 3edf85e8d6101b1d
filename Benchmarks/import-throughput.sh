#!/usr/bin/env bash
# Import throughput for README: `cadence import` of a 20 MB TCX, 36,704 one-second track
# points shaped as Garmin Connect exports them (position, altitude, distance, heart rate, speed
# and run cadence in the TPX extension), into a fresh history each run; median of 5 wall-clock
# runs, and MB/s. Usage: Benchmarks/import-throughput.sh   (after `swift build -c release`)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CADENCE_BIN:-.build/release/cadence}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data CADENCE_NOW=2026-01-03T09:00:00Z TZ=UTC
python3 - "$work/big.tcx" <<'PY'
import datetime, sys
t0 = datetime.datetime(2026, 1, 1, 9, 0, 0)
parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n <Activities>\n  <Activity Sport="Running">\n   <Id>2026-01-01T09:00:00.000Z</Id>\n   <Lap StartTime="2026-01-01T09:00:00.000Z">\n    <Track>\n']
size, i, d = 0, 0, 0.0
while size < 20_000_000:
    t = (t0 + datetime.timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    d += 2.78
    p = (f'     <Trackpoint>\n      <Time>{t}</Time>\n      <Position>\n       <LatitudeDegrees>{47.1 + i * 1e-6:.10f}</LatitudeDegrees>\n'
         f'       <LongitudeDegrees>{8.5 + i * 1e-6:.10f}</LongitudeDegrees>\n      </Position>\n'
         f'      <AltitudeMeters>{400 + (i % 50) * 0.2:.1f}</AltitudeMeters>\n      <DistanceMeters>{d:.2f}</DistanceMeters>\n'
         f'      <HeartRateBpm>\n       <Value>{140 + i % 20}</Value>\n      </HeartRateBpm>\n      <Extensions>\n       <ns3:TPX>\n'
         f'        <ns3:Speed>2.78</ns3:Speed>\n        <ns3:RunCadence>{84 + i % 3}</ns3:RunCadence>\n       </ns3:TPX>\n'
         '      </Extensions>\n     </Trackpoint>\n')
    parts.append(p); size += len(p); i += 1
parts.append('    </Track>\n   </Lap>\n  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n')
open(sys.argv[1], 'w').write(''.join(parts))
PY
bytes=$(stat -c %s "$work/big.tcx")
times=()
for run in 1 2 3 4 5; do
  rm -f "$work/h.sqlite"*
  start=$(date +%s.%N)
  "$bin" import "$work/big.tcx" --db "$work/h.sqlite" >/dev/null
  end=$(date +%s.%N)
  times+=("$start:$end")
done
python3 - "$bytes" "${times[@]}" <<'PY'
import sys
size = int(sys.argv[1])
runs = sorted(float(e) - float(s) for s, e in (t.split(":") for t in sys.argv[2:]))
median = runs[len(runs) // 2]
print(f"import of a {size}-byte TCX: median {median:.3f} s of {len(runs)} ({', '.join(f'{r:.3f}' for r in runs)}), "
      f"{size / 1e6 / median:.1f} MB/s")
PY
