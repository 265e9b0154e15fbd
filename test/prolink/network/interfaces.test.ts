import type { NetworkInterfaceInfo } from 'node:os';
import { broadcastAddress, chooseInterface, usableInterfaces, type InterfaceTable } from '../../../src/prolink/network/interfaces';

function v4(address: string, netmask: string, mac: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask, family: 'IPv4', mac, internal, cidr: null };
}

const table: InterfaceTable = {
  lo: [v4('127.0.0.1', '255.0.0.0', '00:00:00:00:00:00', true)],
  wlan0: [v4('81.2.69.160', '255.255.255.0', 'aa:aa:aa:aa:aa:01')],
  en5: [
    v4('169.254.12.7', '255.255.0.0', 'aa:aa:aa:aa:aa:02'),
    { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: 'aa:aa:aa:aa:aa:02', internal: false, cidr: null, scopeid: 3 },
  ],
};

describe('interface selection', () => {
  it('computes broadcast addresses from address and mask', () => {
    expect(broadcastAddress('169.254.12.7', '255.255.0.0')).toBe('169.254.255.255');
    expect(broadcastAddress('192.168.0.102', '255.255.255.0')).toBe('192.168.0.255');
    expect(broadcastAddress('10.1.2.3', '255.0.0.0')).toBe('10.255.255.255');
    expect(broadcastAddress('nonsense', '255.0.0.0')).toBeNull();
  });

  it('lists external IPv4 interfaces with MAC and broadcast, skipping loopback and IPv6', () => {
    expect(usableInterfaces(table)).toEqual([
      { name: 'wlan0', address: '81.2.69.160', netmask: '255.255.255.0', broadcast: '81.2.69.255', mac: 'aa:aa:aa:aa:aa:01', linkLocal: false, privateRange: false },
      { name: 'en5', address: '169.254.12.7', netmask: '255.255.0.0', broadcast: '169.254.255.255', mac: 'aa:aa:aa:aa:aa:02', linkLocal: true, privateRange: false },
    ]);
  });

  it('takes the only link-local or private interface when nothing was heard', () => {
    const choice = chooseInterface(table, null);
    expect(choice.ok && choice.iface.name).toBe('en5');
  });

  it('prefers the interface on which a device was heard', () => {
    const both: InterfaceTable = { ...table, eth0: [v4('192.168.0.50', '255.255.255.0', 'aa:aa:aa:aa:aa:03')] };
    const ambiguous = chooseInterface(both, null);
    expect(ambiguous.ok).toBe(false);
    if (!ambiguous.ok) {
      expect(ambiguous.error.code).toBe('ambiguous-interface');
      expect(ambiguous.error.message).toBe(
        'several interfaces could reach the DJ gear: en5 (169.254.12.7), eth0 (192.168.0.50); choose one with --interface <name or address>',
      );
    }
    const heard = chooseInterface(both, null, ['192.168.0.102']);
    expect(heard.ok && heard.iface.name).toBe('eth0');
    expect(heard.ok && heard.reason).toContain('192.168.0.102');
  });

  it('honours --interface by name or address and explains a miss', () => {
    const byName = chooseInterface(table, 'wlan0');
    expect(byName.ok && byName.iface.address).toBe('81.2.69.160');
    const byAddress = chooseInterface(table, '169.254.12.7');
    expect(byAddress.ok && byAddress.iface.name).toBe('en5');
    const miss = chooseInterface(table, 'eth9');
    expect(!miss.ok && miss.error.code).toBe('interface-not-found');
    expect(!miss.ok && miss.error.message).toContain('usable: wlan0 (81.2.69.160), en5 (169.254.12.7)');
  });

  it('says what to do when no interface can reach DJ gear', () => {
    const none = chooseInterface({ lo: table['lo'] ?? [] }, null);
    expect(!none.ok && none.error.code).toBe('no-interface');
    expect(!none.ok && none.error.message).toContain('connect the Ethernet cable');
  });
});
