// The tools both example agents offer the model: a weather lookup (a slow, sometimes failing
// service stood in by a table) and a clock. Handlers get the model's arguments and
// { signal, call }; `signal` fires on the call's timeout or when the batch is cancelled.

const WEATHER = { 'Paris, France': { tempC: 14, sky: 'cloudy' }, 'San Francisco, CA': { tempC: 15, sky: 'fog' } };

export const handlers = {
  async get_weather({ location }, { signal }) {
    await new Promise((resolve, reject) => {
      const t = setTimeout(resolve, 20);
      signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
    });
    const w = WEATHER[location];
    if (!w) throw new Error(`no weather station for ${location}`);
    return { location, ...w };
  },
  async get_time({ timezone }) {
    return new Date(Date.UTC(2026, 11, 4, 13, 5)).toLocaleTimeString('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  },
};

export const schemas = {
  get_weather: { type: 'object', properties: { location: { type: 'string', description: 'City and country, e.g. Paris, France' } }, required: ['location'] },
  get_time: { type: 'object', properties: { timezone: { type: 'string', description: 'IANA time zone, e.g. Europe/Paris' } }, required: ['timezone'] },
};

/** Prints each call's end on stderr: what a live UI would show (runToolCalls' onEvent). */
export function logEvent(event) {
  if (['succeeded', 'failed', 'timed-out', 'cancelled'].includes(event.type)) process.stderr.write(`  ${event.type} ${event.id}\n`);
}
