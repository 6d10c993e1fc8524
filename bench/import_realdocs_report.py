#!/usr/bin/env python3
"""Summarises a bench/import_realdocs.sh run as Markdown (see that script)."""
import json
import os
import re
import statistics
import sys

index_path, work, import_rc, build_rc = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
index = {}
with open(index_path, encoding='utf-8') as f:
    next(f)
    for line in f:
        doc_id, number, assigns, size = line.rstrip('\n').split('\t')
        index[doc_id] = {'number': number, 'assigns': assigns, 'bytes': int(size)}

out_dir = os.path.join(work, 'site/content/realdocs')
written = {os.path.splitext(n)[0]: os.path.join(out_dir, n) for n in os.listdir(out_dir)} if os.path.isdir(out_dir) else {}
errors = [l for l in open(os.path.join(work, 'import.err'), encoding='utf-8') if l.startswith('error')]


def front_matter(path):
    text = open(path, encoding='utf-8').read()
    yaml = text.split('\n---\n', 1)[0]
    fm = {}
    for line in yaml.splitlines():
        m = re.match(r'^(\w+):\s*(.*)$', line)
        if m:
            fm[m.group(1)] = m.group(2).strip().strip("'\"")
    return fm


fms = {i: front_matter(p) for i, p in written.items()}
n_in = len(index)
n_ok = sum(1 for i in index if i in fms)
fields = ['number', 'date', 'type', 'issuer', 'signer', 'title']
share = {k: sum(1 for i in fms if fms[i].get(k)) for k in fields}
type_known = sum(1 for i in fms if fms[i].get('type') not in (None, '', 'khac'))
num_match = sum(1 for i in fms if index[i]['number'] and fms[i].get('number') == index[i]['number'])
num_ref = sum(1 for i in fms if index[i]['number'])

# The documents' open data is cut into parts (van-ban-<year>.json); du-lieu/index.json lists them.
public = os.path.join(work, 'site/public')
tasks = {}
if build_rc == 0:
    listing = json.load(open(os.path.join(public, 'du-lieu/index.json'), encoding='utf-8'))
    for part in listing['files']:
        if part.get('set') == 'van-ban' and part.get('format') == 'json':
            for d in json.load(open(os.path.join(public, part['path']), encoding='utf-8'))['documents']:
                stem = os.path.splitext(os.path.basename(d['source']))[0]
                tasks[stem] = d['tasks']
    if not tasks:
        sys.exit('no documents in the open data parts listed by du-lieu/index.json: the report would read 0 tasks everywhere')
build_err = open(os.path.join(work, 'build.err'), encoding='utf-8').read()
build_errors = len(re.findall(r': error: ', build_err))

print('# cchc import over realdocs\n')
print(f'- inputs: {n_in}; imported without error: **{n_ok}** ({100*n_ok/n_in:.1f} %); import exit code {import_rc}; errors: {len(errors)}')
for e in errors[:10]:
    print(f'  - {e.strip()}')
print(f'- `cchc build` of everything imported: exit code **{build_rc}**, {build_errors} errors; last line: `{build_err.strip().splitlines()[-1] if build_err.strip() else ""}`')
print('\n| field | filled | share |\n|---|---|---|')
for k in fields:
    print(f'| {k} | {share[k]} | {100*share[k]/max(n_ok,1):.1f} % |')
print(f'| type other than `khac` | {type_known} | {100*type_known/max(n_ok,1):.1f} % |')
print(f'| number equal to INDEX.tsv | {num_match} / {num_ref} | {100*num_match/max(num_ref,1):.1f} % |')
print('\n| layout (INDEX `assigns_tasks`) | documents | with ≥1 task | tasks total | median | max |\n|---|---|---|---|---|---|')
for layout in ('yes', 'no'):
    ids = [i for i in index if index[i]['assigns'] == layout]
    counts = [tasks.get(i, 0) for i in ids]
    print(f'| {layout} | {len(ids)} | {sum(1 for c in counts if c)} | {sum(counts)} | {statistics.median(counts) if counts else 0} | {max(counts) if counts else 0} |')
by_type = {}
for i in fms:
    by_type.setdefault(fms[i].get('type', '?'), []).append(tasks.get(i, 0))
print('\n| type guessed | documents | tasks total |\n|---|---|---|')
for t, c in sorted(by_type.items()):
    print(f'| {t} | {len(c)} | {sum(c)} |')
print('\nPer document (id, assigns_tasks, type, tasks):')
print('```')
for i in sorted(index, key=lambda i: (index[i]['assigns'], -tasks.get(i, 0))):
    print(f"{i} {index[i]['assigns']:3} {fms.get(i, {}).get('type', 'ERROR'):10} {tasks.get(i, 0)}")
print('```')
