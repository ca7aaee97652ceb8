import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ANALYZE = '/usr/bin/systemd-analyze';
const UNIT = 'deploy/assistant.service';
const unit = readFileSync(UNIT, 'utf8');
const directive = (name: string) => [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1]);

describe('the systemd unit', () => {
  it('runs the compiled build as its own user, in its state directory, files private', () => {
    expect(directive('User')).toEqual(['assistant']);
    expect(directive('ExecStart')).toEqual(['/usr/bin/node dist/src/main.js']);
    expect(directive('StateDirectory')).toEqual(['assistant']);
    expect(directive('Environment')).toContain('DATA_DIR=/var/lib/assistant');
    expect(directive('ProtectSystem')).toEqual(['strict']);
    expect(directive('UMask')).toEqual(['0077']);
    const sysusers = readFileSync('deploy/assistant.sysusers.conf', 'utf8');
    expect(sysusers).toMatch(/^u assistant - ".+" \/var\/lib\/assistant \/usr\/sbin\/nologin$/m);
  });

  it.skipIf(!existsSync(ANALYZE))(
    'is a valid unit that systemd rates as well confined (exposure under 2 of 10)',
    () => {
      const verify = spawnSync(ANALYZE, ['verify', '--man=no', UNIT], { encoding: 'utf8' });
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
      // The threshold is in tenths of the exposure score systemd prints.
      const security = spawnSync(ANALYZE, ['security', '--offline=yes', '--threshold=20', UNIT], {
        encoding: 'utf8',
      });
      expect(security.stdout).toMatch(/Overall exposure level for assistant\.service: 1\.\d OK/);
      expect(security.status).toBe(0);
    },
  );
});
