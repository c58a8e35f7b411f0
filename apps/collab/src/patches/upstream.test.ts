import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Connection, Document } from '@hocuspocus/server'
import { Redis } from '@hocuspocus/extension-redis'
import { describe, expect, it } from 'vitest'
import { HOCUSPOCUS_FILE } from './console'
import { REDIS_ORIGIN } from './redis-origin'
import { listenersOf } from './replace-listener'

// Each patch of README.md here relies on a piece of Hocuspocus that is not an API. These tests pin those pieces:
// when an upgrade changes one, its test fails and names the patch to re-check (and then this text to update).

const require = createRequire(import.meta.url)

function packageOf(name: string): { version: string; dir: string } {
  const dir = dirname(dirname(require.resolve(name)))
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }
  return { version, dir }
}

/** Function text without the indentation and line breaks a bundler may change. */
function shape(code: string): string {
  return code.replace(/\s+/g, ' ').trim()
}

describe('the Hocuspocus code our patches replace or rely on', () => {
  it('is the pinned version of the server and of the Redis extension', () => {
    expect(packageOf('@hocuspocus/server').version, 're-check every patch in src/patches/README.md').toBe(
      '3.4.4',
    )
    expect(packageOf('@hocuspocus/extension-redis').version, 're-check redis-origin.ts').toBe('3.4.4')
  })

  it('update-broadcast: a document broadcasts its updates with its bound handleUpdate, sender included', () => {
    const document = new Document('patch-shape')
    expect(listenersOf(document, 'update').map((f) => f.name)).toContain('bound handleUpdate')
    expect(shape(String(Reflect.get(Document.prototype, 'handleUpdate')))).toBe(
      shape(`handleUpdate(update, connection) {
        this.callbacks.onUpdate(this, connection, update);
        const message = new OutgoingMessage(this.name)
            .createSyncMessage()
            .writeUpdate(update);
        this.getConnections().forEach((connection) => {
            connection.send(message.toUint8Array());
        });
        return this;
    }`),
    )
    document.destroy()
  })

  it('awareness throttle: the awareness broadcasts each change at once with its bound handleAwarenessUpdate', () => {
    const document = new Document('patch-shape')
    expect(listenersOf(document.awareness, 'update').map((f) => f.name)).toContain(
      'bound handleAwarenessUpdate',
    )
    expect(shape(String(Reflect.get(Document.prototype, 'handleAwarenessUpdate')))).toBe(
      shape(`handleAwarenessUpdate({ added, updated, removed }, connectionInstance) {
        const changedClients = added.concat(updated, removed);
        if (connectionInstance !== null) {
            const connection = this.connections.get(connectionInstance);
            if (connection) {
                added.forEach((clientId) => connection.clients.add(clientId));
                removed.forEach((clientId) => connection.clients.delete(clientId));
            }
        }
        this.getConnections().forEach((connection) => {
            const awarenessMessage = new OutgoingMessage(this.name).createAwarenessUpdateMessage(this.awareness, changedClients);
            connection.send(awarenessMessage.toUint8Array());
        });
        return this;
    }`),
    )
    document.destroy()
  })

  it('frame guard and y-websocket: Hocuspocus reads frames from the socket\'s "message" event, queued ones re-emitted', () => {
    const bundle = readFileSync(require.resolve('@hocuspocus/server'), 'utf8')
    expect(bundle).toContain('websocket.on("message", this.messageHandler)')
    expect(bundle).toContain('this.websocket.emit("message", input)')
  })

  it('coalesced writes and y-websocket: a connection writes every message through webSocket.send', () => {
    expect(shape(String(Reflect.get(Connection.prototype, 'send')))).toContain(
      shape(`this.webSocket.send(message, (error) => {
                if (error != null)
                    this.close();
            });`),
    )
  })

  it("redis origin: the Redis extension applies other nodes' updates with the origin we compare against", () => {
    expect(String(Redis)).toContain(`this.redisTransactionOrigin = "${REDIS_ORIGIN}"`)
  })

  it('console: Hocuspocus and the Redis extension print from files under their package folder', () => {
    const builds = [
      {
        name: '@hocuspocus/server',
        file: 'hocuspocus-server',
        calls: [
          'console.error(`[${name}]`, error.message);',
          'console.error("Caught error during storeDocumentHooks", error);',
          'console.error("Received an authentication message on a connection that is already fully authenticated.',
        ],
      },
      {
        name: '@hocuspocus/extension-redis',
        file: 'hocuspocus-redis',
        calls: ['console.error("unexpected error:", error);'],
      },
    ]
    for (const { name, file, calls } of builds) {
      for (const build of ['cjs', 'esm.js']) {
        const path = join(packageOf(name).dir, 'dist', `${file}.${build}`)
        expect(`@hocuspocus/${HOCUSPOCUS_FILE.exec(path)?.[1]}`, path).toBe(name)
        const code = readFileSync(path, 'utf8')
        for (const call of calls) expect(code, `${path} still prints this`).toContain(call)
      }
    }
  })
})
