/**
 * Device-type byte of the port-50000 packets (§2.1 offset 0x34, §2.2 offsets
 * 0x24/0x25/0x30): 01 player, 02 mixer (03 also seen for mixers, §12 item 9),
 * 04 rekordbox.
 */
export type DeviceType = 'player' | 'mixer' | 'rekordbox' | 'unknown';

export const DEVICE_TYPE_PLAYER = 0x01;
export const DEVICE_TYPE_MIXER = 0x02;
export const DEVICE_TYPE_MIXER_ALT = 0x03;
export const DEVICE_TYPE_REKORDBOX = 0x04;

export function deviceTypeName(raw: number): DeviceType {
  switch (raw) {
    case DEVICE_TYPE_PLAYER:
      return 'player';
    case DEVICE_TYPE_MIXER:
    case DEVICE_TYPE_MIXER_ALT:
      return 'mixer';
    case DEVICE_TYPE_REKORDBOX:
      return 'rekordbox';
    default:
      return 'unknown';
  }
}

/** The byte an encoder writes for a device type. */
export function deviceTypeByte(type: Exclude<DeviceType, 'unknown'>): number {
  return type === 'player' ? DEVICE_TYPE_PLAYER : type === 'mixer' ? DEVICE_TYPE_MIXER : DEVICE_TYPE_REKORDBOX;
}
