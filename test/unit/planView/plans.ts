// Plan texts shared by the plan view's unit and browser tests.

/** A realistic 12-tool plan: fan-out, a shared rate-limited resource, a join and a report. */
export const TRIP_PLAN = `name: Trip planner
maxConcurrency: 4
limits: { weather-api: 2 }
defaults: { timeoutMs: 5000, retries: 1, retryDelayMs: 150 }
tools:
  - id: profile
    kind: simulate
    args: { durationMs: 300 }
  - id: weather_paris
    kind: simulate
    args: { durationMs: 800 }
    resource: weather-api
    dependsOn: [profile]
  - id: weather_rome
    kind: simulate
    args: { durationMs: 900 }
    resource: weather-api
    dependsOn: [profile]
  - id: flights
    kind: simulate
    args: { durationMs: 1400 }
    dependsOn: [profile]
  - id: hotels
    kind: simulate
    args: { durationMs: 1100 }
    dependsOn: [profile]
  - id: trains
    kind: simulate
    args: { durationMs: 700 }
    dependsOn: [profile]
  - id: events
    kind: simulate
    args: { durationMs: 600 }
    dependsOn: [weather_paris, weather_rome]
  - id: restaurants
    kind: simulate
    args: { durationMs: 500 }
    dependsOn: [hotels]
  - id: prices
    kind: simulate
    args: { durationMs: 400 }
    dependsOn: [flights, hotels, trains]
  - id: visas
    kind: simulate
    args: { durationMs: 350 }
    dependsOn: [flights]
  - id: itinerary
    kind: simulate
    args: { durationMs: 600 }
    dependsOn: [events, prices, restaurants]
  - id: report
    kind: simulate
    args: { durationMs: 250 }
    dependsOn: [itinerary, visas]
`;

/** A layered random-ish DAG of `n` simulate tools (deterministic), as JSON. */
export function layeredPlan(n: number, name = `Layered ${n}`, width = 8, cap: number | null = 8): string {
  const tools = [];
  for (let i = 0; i < n; i++) {
    const level = Math.floor(i / width);
    const deps: string[] = [];
    if (level > 0) {
      const base = (level - 1) * width;
      deps.push(`tool_${base + (i % width)}`);
      if (i % 3 === 0) deps.push(`tool_${base + ((i + 3) % width)}`);
    }
    tools.push({ id: `tool_${i}`, kind: 'simulate', args: { durationMs: 100 + ((i * 37) % 400) }, timeoutMs: 5000, ...(deps.length ? { dependsOn: [...new Set(deps)] } : {}) });
  }
  return JSON.stringify({ name, ...(cap !== null ? { maxConcurrency: cap } : {}), tools }, null, 2);
}
