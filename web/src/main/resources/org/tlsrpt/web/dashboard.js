// The tlsrpt dashboard: reads /api/* with the page's filters (window, organization, policy
// domain), draws the charts with ECharts and fills the tables. Values from reports are put into
// the page as text only (textContent), never as markup.
(function () {
  'use strict';

  const COLORS = { ok: '#2e9e6b', bad: '#d64545', rate: '#1f2933' };
  const MODE_COLORS = { enforce: '#b8322a', testing: '#e08a1e', none: '#7b8794' };
  const MODE_NAMES = { enforce: 'enforce', testing: 'testing', none: 'no mode (DANE, no policy)' };
  const integer = new Intl.NumberFormat('en-US');

  const state = { since: '30d', org: null, domain: null };
  const charts = {};
  // read by tests and by anyone curious: how many times the page has been drawn, and with what
  const status = { renders: 0, state: state, last: null, error: null, health: null };
  window.tlsrptDashboard = status;

  function readLocation() {
    const p = new URLSearchParams(window.location.search);
    state.since = /^\d{1,5}d$/.test(p.get('since') || '') ? p.get('since') : '30d';
    state.org = p.get('org') || null;
    state.domain = p.get('domain') || null;
  }

  function writeLocation() {
    const p = query();
    window.history.replaceState(null, '', window.location.pathname + '?' + p.toString());
  }

  function query() {
    const p = new URLSearchParams();
    p.set('since', state.since);
    if (state.domain) p.set('domain', state.domain);
    if (state.org) p.set('org', state.org);
    return p;
  }

  async function api(name, extra) {
    const p = query();
    if (extra) Object.keys(extra).forEach(k => p.set(k, extra[k]));
    const r = await fetch('/api/' + name + '?' + p.toString(), { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) {
      throw new Error('/api/' + name + ': ' + ((body && body.error) || ('HTTP ' + r.status)));
    }
    return body;
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function fmt(n) { return n === null || n === undefined ? '–' : integer.format(n); }

  function pct(rate) {
    if (rate === null || rate === undefined) return '–';
    const p = rate * 100;
    return (p > 0 && p < 0.01 ? '<0.01' : p.toFixed(p >= 10 ? 1 : 2)) + '%';
  }

  function rateCell(rate) {
    const td = el('td', 'num');
    const wrap = el('span', 'rate');
    const bar = el('span', 'bar');
    bar.style.width = Math.round(Math.min(1, rate || 0) * 60) + 'px';
    wrap.appendChild(bar);
    wrap.appendChild(el('span', null, pct(rate)));
    td.appendChild(wrap);
    return td;
  }

  function modesCell(modes) {
    const td = el('td');
    (modes.length ? modes : ['none']).forEach(m => td.appendChild(el('span', 'mode ' + m, m)));
    return td;
  }

  function setEmpty(table, empty) {
    const p = table.closest('.panel').querySelector('.empty');
    if (p) p.hidden = !empty;
    table.hidden = empty;
  }

  // ---- filters ----------------------------------------------------------------------------

  function setFilter(key, value) {
    state[key] = state[key] === value ? null : value;
    writeLocation();
    refresh();
  }

  function renderChips() {
    const chips = document.getElementById('chips');
    chips.replaceChildren();
    [['org', 'organization'], ['domain', 'domain']].forEach(([key, label]) => {
      if (!state[key]) return;
      const chip = el('span', 'chip');
      chip.dataset.filter = key;
      chip.appendChild(el('span', null, label + ': ' + state[key]));
      const x = el('button', null, '×');
      x.type = 'button';
      x.title = 'Remove this filter';
      x.addEventListener('click', () => setFilter(key, null));
      chip.appendChild(x);
      chips.appendChild(chip);
    });
  }

  // ---- charts -----------------------------------------------------------------------------

  function chart(id) {
    if (!charts[id]) charts[id] = echarts.init(document.getElementById(id), null, { renderer: 'canvas' });
    return charts[id];
  }

  /** Every day of the window that has data or lies between days that have (gaps as zero). */
  function dayAxis(daily) {
    const have = daily.days.map(d => d.day);
    if (!have.length) return [];
    const start = new Date(Math.max(Date.parse(daily.since + 'T00:00:00Z'), Date.parse(have[0] + 'T00:00:00Z')));
    const end = new Date(Math.max(Date.parse(have[have.length - 1] + 'T00:00:00Z'), Date.now() - 86400000));
    const out = [];
    for (let t = start.getTime(); t <= end.getTime() && out.length < 40000; t += 86400000) {
      out.push(new Date(t).toISOString().slice(0, 10));
    }
    return out;
  }

  function renderDaily(daily) {
    const axis = dayAxis(daily);
    const byDay = new Map(daily.days.map(d => [d.day, d]));
    const pick = (day, f) => { const d = byDay.get(day); return d ? f(d) : 0; };
    const rate = day => { const d = byDay.get(day); return d && d.failure_rate !== null ? +(d.failure_rate * 100).toFixed(3) : null; };
    const modes = [];
    daily.days.forEach(d => Object.keys(d.modes).forEach(m => { if (!modes.includes(m)) modes.push(m); }));
    modes.sort((a, b) => ['enforce', 'testing', 'none'].indexOf(a) - ['enforce', 'testing', 'none'].indexOf(b));

    const base = {
      animation: false,
      grid: { left: 56, right: 56, top: 36, bottom: 64 },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, type: 'scroll' },
      xAxis: { type: 'category', data: axis },
      graphic: axis.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: 'No reports in this window', fill: '#667085', fontSize: 14 } }]
    };
    chart('chart-daily').setOption(Object.assign({}, base, {
      yAxis: [
        { type: 'value', name: 'sessions' },
        { type: 'value', name: 'failure rate %', axisLabel: { formatter: '{value}%' }, splitLine: { show: false } }
      ],
      series: [
        { name: 'Successful', type: 'bar', stack: 'sessions', color: COLORS.ok, data: axis.map(d => pick(d, x => x.successful_sessions)) },
        { name: 'Failed', type: 'bar', stack: 'sessions', color: COLORS.bad, data: axis.map(d => pick(d, x => x.failed_sessions)) },
        { name: 'Failure rate', type: 'line', yAxisIndex: 1, color: COLORS.rate, showSymbol: false, connectNulls: false, data: axis.map(rate) }
      ]
    }), true);

    const series = [];
    modes.forEach(m => {
      series.push({
        name: MODE_NAMES[m], type: 'bar', stack: 'failed', color: MODE_COLORS[m] || '#555',
        data: axis.map(d => pick(d, x => (x.modes[m] ? x.modes[m].failed_sessions : 0)))
      });
    });
    modes.forEach(m => {
      series.push({
        name: 'rate · ' + m, type: 'line', yAxisIndex: 1, color: MODE_COLORS[m] || '#555',
        showSymbol: false, lineStyle: { type: 'dashed' },
        data: axis.map(d => { const x = byDay.get(d); const v = x && x.modes[m]; return v && v.failure_rate !== null ? +(v.failure_rate * 100).toFixed(3) : null; })
      });
    });
    chart('chart-modes').setOption(Object.assign({}, base, {
      yAxis: [
        { type: 'value', name: 'failed sessions' },
        { type: 'value', name: 'failure rate %', axisLabel: { formatter: '{value}%' }, splitLine: { show: false } }
      ],
      series: series
    }), true);
  }

  function renderResults(results) {
    const rows = results.rows.slice().reverse();
    chart('chart-results').setOption({
      animation: false,
      grid: { left: 190, right: 40, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', name: 'failed sessions' },
      yAxis: { type: 'category', data: rows.map(r => r.result_type) },
      series: [{ name: 'Failed sessions', type: 'bar', color: COLORS.bad, data: rows.map(r => r.failed_sessions) }],
      graphic: rows.length ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: 'No failures in this window', fill: '#667085', fontSize: 14 } }]
    }, true);
  }

  // ---- tables -----------------------------------------------------------------------------

  function groupRow(name, r, key, selected) {
    const tr = el('tr', 'clickable' + (selected ? ' selected' : ''));
    tr.dataset[key] = name;
    tr.title = selected ? 'Click to remove this filter' : 'Click to show only ' + name;
    tr.appendChild(el('td', null, name));
    tr.appendChild(modesCell(r.modes));
    tr.appendChild(el('td', 'num', fmt(r.reports)));
    tr.appendChild(el('td', 'num', fmt(r.successful_sessions)));
    tr.appendChild(el('td', 'num', fmt(r.failed_sessions)));
    tr.appendChild(rateCell(r.failure_rate));
    return tr;
  }

  function renderOrganizations(orgs) {
    const table = document.getElementById('table-orgs');
    const body = table.tBodies[0];
    body.replaceChildren();
    orgs.rows.forEach(r => {
      const tr = groupRow(r.organization, r, 'org', state.org === r.organization);
      tr.addEventListener('click', () => setFilter('org', r.organization));
      body.appendChild(tr);
    });
    setEmpty(table, orgs.rows.length === 0);
  }

  function renderDomains(domains) {
    const table = document.getElementById('table-domains');
    const body = table.tBodies[0];
    body.replaceChildren();
    domains.rows.forEach(r => {
      const selected = state.domain === r.domain;
      const tr = groupRow(r.domain, r, 'domain', selected);
      tr.addEventListener('click', () => setFilter('domain', r.domain));
      body.appendChild(tr);
      // the drill-down: a selected domain (or the only one) lists its MX hosts with failures
      if (selected || domains.rows.length === 1) {
        r.mx_hosts.forEach(h => {
          const mx = el('tr', 'mx');
          mx.dataset.mx = h.mx_host || '';
          mx.appendChild(el('td', null, h.mx_host || '(no MX host reported)'));
          mx.appendChild(el('td', null, ''));
          mx.appendChild(el('td', 'num', fmt(h.reports)));
          mx.appendChild(el('td', 'num', ''));
          mx.appendChild(el('td', 'num', fmt(h.failed_sessions)));
          mx.appendChild(el('td', 'num', ''));
          body.appendChild(mx);
        });
        if (!r.mx_hosts.length) {
          const none = el('tr', 'mx');
          const td = el('td', null, 'no failures at any MX host');
          td.colSpan = 6;
          none.appendChild(td);
          body.appendChild(none);
        }
      }
    });
    setEmpty(table, domains.rows.length === 0);
  }

  function renderFailures(failures) {
    const table = document.getElementById('table-failures');
    const body = table.tBodies[0];
    body.replaceChildren();
    failures.rows.forEach(r => {
      const tr = el('tr');
      const type = el('td');
      type.appendChild(el('span', null, r.result_type));
      if (r.additional_information) type.appendChild(el('span', 'sub', r.additional_information));
      tr.appendChild(type);
      tr.appendChild(el('td', null, r.policy_domain));
      tr.appendChild(el('td', null, r.sending_mta_ip || '–'));
      tr.appendChild(el('td', null, r.receiving_mx_hostname || '–'));
      tr.appendChild(el('td', null, r.receiving_ip || '–'));
      tr.appendChild(el('td', 'reason', r.failure_reason_code || '–'));
      tr.appendChild(el('td', 'orgs', r.organizations.join(', ')));
      tr.appendChild(el('td', 'num', fmt(r.reports)));
      tr.appendChild(el('td', 'num', fmt(r.failed_sessions)));
      body.appendChild(tr);
    });
    setEmpty(table, failures.rows.length === 0);
  }

  function renderRejected(rejected) {
    const counts = document.getElementById('rejected-counts');
    counts.replaceChildren();
    rejected.counts.forEach(c => counts.appendChild(el('span', 'chip count ' + c.status, c.status + ' · ' + c.code + ': ' + fmt(c.inputs))));
    const table = document.getElementById('table-rejected');
    const body = table.tBodies[0];
    body.replaceChildren();
    rejected.rows.forEach(r => {
      const tr = el('tr');
      tr.appendChild(el('td', null, r.received_at.replace('T', ' ').replace(/(\.\d+)?Z$/, '')));
      const st = el('td');
      st.appendChild(el('span', 'status ' + r.status, r.status));
      tr.appendChild(st);
      tr.appendChild(el('td', 'code', r.code));
      tr.appendChild(el('td', 'reason', r.message));
      tr.appendChild(el('td', null, r.source));
      tr.appendChild(el('td', 'num', fmt(r.size)));
      body.appendChild(tr);
    });
    setEmpty(table, rejected.rows.length === 0);
  }

  function renderAlerts(alerts) {
    const table = document.getElementById('table-alerts');
    const body = table.tBodies[0];
    body.replaceChildren();
    alerts.rows.forEach(a => {
      const tr = el('tr');
      tr.appendChild(el('td', null, a.fired_at.replace('T', ' ').replace(/(\.\d+)?Z$/, '')));
      tr.appendChild(el('td', null, a.rule));
      tr.appendChild(el('td', null, a.policy_domain || '–'));
      tr.appendChild(el('td', null, a.organization || '–'));
      tr.appendChild(el('td', null, a.mode || '–'));
      tr.appendChild(el('td', null, a.result_types.join(', ') || '–'));
      tr.appendChild(el('td', 'num', fmt(a.failed_sessions)));
      tr.appendChild(el('td', 'reason', a.message));
      tr.appendChild(el('td', 'reason', a.delivery));
      body.appendChild(tr);
    });
    setEmpty(table, alerts.rows.length === 0);
  }

  const POSTURE_STATUS = { FAIL: 'fail', WARN: 'warn', OK: 'ok', NOT_CHECKED: 'not checked' };

  function renderPosture(posture) {
    const table = document.getElementById('table-posture');
    const body = table.tBodies[0];
    body.replaceChildren();
    posture.rows.forEach(r => {
      const tr = el('tr');
      tr.dataset.status = r.status;
      // DANE (DNSSEC, TLSA) rows carry a tag: DANE senders judge by them, the others by MTA-STS
      const dane = r.finding.startsWith('dane.') || r.finding.endsWith('_dane') || r.finding === 'cross.dane_and_sts';
      const domain = el('td', null, r.domain);
      domain.appendChild(el('span', 'sub', 'checked ' + r.checked_at.replace('T', ' ').replace(/(\.\d+)?Z$/, '')));
      tr.appendChild(domain);
      const check = el('td', 'code', r.finding);
      if (dane) {
        check.appendChild(el('span', 'sub', 'DANE'));
      }
      tr.appendChild(check);
      tr.appendChild(el('td', null, r.subject || '–'));
      const st = el('td');
      const known = Object.prototype.hasOwnProperty.call(POSTURE_STATUS, r.status);
      st.appendChild(el('span', 'status posture-' + (known ? r.status.toLowerCase() : 'not_checked'),
        known ? POSTURE_STATUS[r.status] : r.status));
      tr.appendChild(st);
      const message = el('td', 'reason', r.message);
      if (r.days_to_expiry !== null && r.days_to_expiry !== undefined) {
        const what = r.finding === 'dane.signature_expiry' ? 'days to signature expiry: ' : 'days to expiry: ';
        message.appendChild(el('span', 'sub', what + r.days_to_expiry));
      }
      tr.appendChild(message);
      tr.appendChild(el('td', 'reason', r.remedy || '–'));
      body.appendChild(tr);
    });
    setEmpty(table, posture.rows.length === 0);
  }

  // ---- readiness ---------------------------------------------------------------------------

  const readinessView = { open: null, rows: [] };

  function verdictBadge(r) {
    const known = ['ready', 'not_ready', 'not_enough_data', 'enforced', 'enforced_losing_mail'].includes(r.verdict);
    return el('span', 'verdict ' + (known ? r.verdict : 'not_enough_data'), r.verdict_text);
  }

  function renderReadiness(readiness) {
    readinessView.rows = readiness.rows;
    // a filtered domain (e.g. the link of an enforce alert) opens its detail
    if (state.domain && readiness.rows.some(r => r.domain === state.domain)) {
      readinessView.open = state.domain;
    } else if (!readiness.rows.some(r => r.domain === readinessView.open)) {
      readinessView.open = null;
    }
    const table = document.getElementById('table-readiness');
    const body = table.tBodies[0];
    body.replaceChildren();
    readiness.rows.forEach(r => {
      const tr = el('tr', 'clickable' + (readinessView.open === r.domain ? ' selected' : ''));
      tr.dataset.domain = r.domain;
      tr.dataset.verdict = r.verdict;
      tr.title = 'Click for the reasons and figures of ' + r.domain;
      tr.appendChild(el('td', null, r.domain));
      tr.appendChild(modesCell([r.mode]));
      const v = el('td');
      v.appendChild(verdictBadge(r));
      tr.appendChild(v);
      tr.appendChild(el('td', 'num', fmt(r.sessions)));
      tr.appendChild(el('td', 'num', fmt(r.failed_sessions)));
      tr.appendChild(rateCell(r.failure_rate));
      tr.appendChild(el('td', null, r.trend));
      tr.appendChild(el('td', 'reason', r.summary));
      tr.addEventListener('click', () => {
        readinessView.open = readinessView.open === r.domain ? null : r.domain;
        renderReadiness({ rows: readinessView.rows });
      });
      body.appendChild(tr);
    });
    setEmpty(table, readiness.rows.length === 0);
    renderReadinessDetail(readiness.rows.find(r => r.domain === readinessView.open) || null);
  }

  function splitTable(title, head, rows, cells) {
    const box = el('div');
    box.appendChild(el('h4', null, title));
    if (!rows.length) {
      box.appendChild(el('p', 'empty', 'none'));
      return box;
    }
    const t = el('table', 'data');
    const hr = el('tr');
    head.forEach(h => hr.appendChild(el('th', h.startsWith('#') ? 'num' : null, h.replace(/^#/, ''))));
    t.appendChild(el('thead')).appendChild(hr);
    const tb = t.appendChild(el('tbody'));
    rows.forEach(r => {
      const tr = el('tr');
      cells(r).forEach(([text, num]) => tr.appendChild(el('td', num ? 'num' : null, text)));
      tb.appendChild(tr);
    });
    box.appendChild(t);
    return box;
  }

  function renderReadinessDetail(r) {
    const box = document.getElementById('readiness-detail');
    box.replaceChildren();
    box.hidden = !r;
    if (!r) return;
    box.dataset.domain = r.domain;
    const h = el('h3', null, r.domain + ': ');
    h.appendChild(verdictBadge(r));
    box.appendChild(h);
    box.appendChild(el('p', 'summary', r.summary));
    if (r.reasons.length) {
      const enforce = r.mode === 'enforce';
      box.appendChild(el('h4', null, enforce ? 'Mail refused' : r.verdict === 'not_ready' ? 'Blocking reasons' : 'What is missing'));
      const ul = el('ul', 'reasons');
      r.reasons.forEach(x => {
        const li = el('li', 'reason-' + x.kind, x.text);
        li.appendChild(el('span', 'remedy', x.remedy));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    r.notes.forEach(n => box.appendChild(el('p', 'note', n)));
    const links = el('p', 'links');
    const a = el('a', null, r.mode === 'enforce' ? 'Alert history of ' + r.domain : 'Alerts of ' + r.domain);
    a.href = r.links.alerts;
    links.appendChild(a);
    box.appendChild(links);
    box.appendChild(el('h4', null, 'Failure share per day (trend: ' + r.trend + ')'));
    const mini = el('div', 'chart mini');
    mini.id = 'chart-readiness';
    box.appendChild(mini);
    if (charts['chart-readiness']) { charts['chart-readiness'].dispose(); delete charts['chart-readiness']; }
    chart('chart-readiness').setOption({
      animation: false,
      grid: { left: 50, right: 20, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: r.daily.map(d => d.day) },
      yAxis: { type: 'value', axisLabel: { formatter: v => v + '%' } },
      series: [{ name: 'Failed sessions (%)', type: 'bar', color: COLORS.bad,
        data: r.daily.map(d => { const n = d.successful_sessions + d.failed_sessions; return n ? +(100 * d.failed_sessions / n).toFixed(3) : 0; }) }]
    }, true);
    const splits = el('div', 'splits');
    splits.appendChild(splitTable('By sending organization', ['Organization', '#Sessions', '#Failed'], r.senders,
      x => [[x.key], [fmt(x.sessions), true], [fmt(x.failed_sessions), true]]));
    splits.appendChild(splitTable('By receiving MX host', ['MX host', '#Failed'], r.mx_hosts,
      x => [[x.key || '(not named)'], [fmt(x.failed_sessions), true]]));
    splits.appendChild(splitTable('By result type', ['Result type', '#Failed'], r.result_types,
      x => [[x.key], [fmt(x.failed_sessions), true]]));
    splits.appendChild(splitTable('Reporters', ['Organization', 'Last day', '#Days', 'State'], r.reporters,
      x => [[x.organization], [x.last_day], [fmt(x.days), true], [x.silent ? 'silent' : 'reporting']]));
    box.appendChild(splits);
    box.appendChild(splitTable(
      'Posture findings that enforce would turn into failures' + (r.posture_checked_at ? ' (checked ' + r.posture_checked_at.replace('T', ' ').replace(/(\.\d+)?Z$/, '') + ')' : ''),
      ['Check', 'Status', 'Subject', 'Message', 'What to do'], r.posture,
      x => [[x.finding], [x.status], [x.subject || '–'], [x.message], [x.remedy || '–']]));
  }

  function renderOverview(o) {
    document.getElementById('kpi-reports').textContent = fmt(o.reports);
    document.getElementById('kpi-successful').textContent = fmt(o.successful_sessions);
    document.getElementById('kpi-failed').textContent = fmt(o.failed_sessions);
    document.getElementById('kpi-rate').textContent = pct(o.failure_rate);
    document.getElementById('kpi-groups').textContent = fmt(o.organizations) + ' · ' + fmt(o.domains);
    document.getElementById('kpi-rejected').textContent = fmt(o.rejected_inputs) + ' · ' + fmt(o.quarantined_inputs);
    document.getElementById('kpi-alerts').textContent = fmt(o.alerts);
    const demo = document.getElementById('demo-banner');
    demo.hidden = !o.demo_reports;
    demo.textContent = o.demo_reports
      ? 'Demo data: this store holds ' + fmt(o.demo_reports) + ' reports loaded by "tlsrpt serve --demo" (source "demo", domains example.com, example.net, shop.example.com and example.org). Start with an empty data directory to see only real reports.'
      : '';
  }

  // ---- the sources' health (GET /health of the same server) ------------------------------

  const HEALTH_WORDS = { ok: 'all sources working', degraded: 'a source is failing', unavailable: 'unavailable' };

  function describeSource(s) {
    const what = s.source + (s.name ? ' ' + s.name : '');
    const since = s.failing_since ? ' since ' + new Date(s.failing_since).toLocaleString() : '';
    return what + ' ' + s.state + since + (s.last_error ? ': ' + s.last_error : '');
  }

  async function refreshHealth() {
    const box = document.getElementById('health');
    let body = null;
    try {
      const r = await fetch('/health', { headers: { Accept: 'application/json' } });
      body = await r.json();
    } catch (e) {
      body = { status: 'unavailable', sources: [], error: 'no answer from /health' };
    }
    const failing = (body.sources || []).filter(s => s.state === 'failing');
    box.dataset.status = body.status;
    document.getElementById('health-state').textContent = HEALTH_WORDS[body.status] || body.status;
    document.getElementById('health-detail').textContent =
      failing.length ? failing.map(describeSource).join(' · ') : (body.error || '');
    box.title = (body.sources || []).map(describeSource).join('\n');
    box.hidden = false;
    status.health = body;
  }

  // ---- the page ---------------------------------------------------------------------------

  let generation = 0;

  async function refresh() {
    const mine = ++generation;
    renderChips();
    document.body.dataset.loading = 'true';
    try {
      const [overview, daily, orgs, domains, results, failures, rejected, alerts, posture, readiness] = await Promise.all([
        api('overview'), api('daily'), api('organizations'), api('domains'), api('results'),
        api('failures', { limit: 200 }), api('rejected', { limit: 200 }), api('alerts', { limit: 200 }),
        api('posture'), api('readiness')
      ]);
      if (mine !== generation) return; // a newer filter won
      renderOverview(overview);
      renderDaily(daily);
      renderResults(results);
      renderOrganizations(orgs);
      renderDomains(domains);
      renderFailures(failures);
      renderRejected(rejected);
      renderAlerts(alerts);
      renderPosture(posture);
      renderReadiness(readiness);
      document.getElementById('error-banner').hidden = true;
      status.error = null;
    } catch (e) {
      if (mine !== generation) return;
      const banner = document.getElementById('error-banner');
      banner.textContent = 'Could not load the data: ' + e.message;
      banner.hidden = false;
      status.error = e.message;
    }
    status.last = { since: state.since, org: state.org, domain: state.domain };
    status.renders++;
    document.body.dataset.loading = 'false';
  }

  function start() {
    readLocation();
    const since = document.getElementById('since');
    if (![...since.options].some(o => o.value === state.since)) {
      since.appendChild(el('option', null, 'last ' + state.since.slice(0, -1) + ' days'));
      since.lastChild.value = state.since;
    }
    since.value = state.since;
    since.addEventListener('change', () => { state.since = since.value; writeLocation(); refresh(); });
    window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
    refresh();
    refreshHealth();
    window.setInterval(refreshHealth, 30000);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
