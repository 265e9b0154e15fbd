import { LinkError } from '../../../src/outputs/ableton-link/link-error';
import { loadLinkLibrary } from '../../../src/outputs/ableton-link/link-library';

function notFound(name: string): never {
  const error = new Error(`Cannot find module '${name}'\nRequire stack:\n- /x/link-library.js`) as Error & { code: string };
  error.code = 'MODULE_NOT_FOUND';
  throw error;
}

describe('loading the Ableton Link module', () => {
  it('says in one sentence how to install a missing module', () => {
    const result = loadLinkLibrary(notFound);
    expect(result).toBeInstanceOf(LinkError);
    const error = result as LinkError;
    expect(error.code).toBe('link-unavailable');
    expect(error.message).toBe(
      'Ableton Link needs the optional module "abletonlink", which is not installed: install it with "npm install abletonlink" (it builds with node-gyp and a C++ compiler), or remove link: from the mapping.',
    );
    expect(error.cause).toBe("Cannot find module 'abletonlink'");
  });

  it('tells a module that does not load (a failed native build) from a missing one', () => {
    const result = loadLinkLibrary(() => {
      throw new Error('/x/abletonlink.node: invalid ELF header');
    });
    expect(result).toBeInstanceOf(LinkError);
    expect((result as LinkError).message).toContain('is installed but does not load: rebuild it with "npm rebuild abletonlink"');
    expect((result as LinkError).cause).toBe('/x/abletonlink.node: invalid ELF header');
  });

  it('refuses a module that is not the binding it knows', () => {
    const result = loadLinkLibrary(() => ({ AbletonLink: class {} }));
    expect((result as LinkError).message).toBe('The module "abletonlink" is not the Ableton Link binding this bridge knows (version 0.1): install "abletonlink@0.1", or remove link: from the mapping.');
  });

  it('loads without joining a session: the module is only required', () => {
    const constructed: unknown[] = [];
    const opener = loadLinkLibrary(() => function FakeNative(this: unknown, ...args: unknown[]) {
      constructed.push(args);
    });
    expect(typeof opener).toBe('function');
    expect(constructed).toEqual([]);
  });
});
