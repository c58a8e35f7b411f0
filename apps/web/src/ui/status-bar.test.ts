import { describe, expect, it } from 'vitest'
import { indexingLabel, saveLabel, type StatusBarProps } from './status-bar'

const props = (over: Partial<StatusBarProps['connection']>, readOnly = false): StatusBarProps => ({
  connection: {
    status: 'connected',
    unsynced: 0,
    synced: true,
    socketOpen: true,
    localCopies: true,
    keeping: false,
    fromLocalCopy: false,
    ...over,
  },
  readOnly,
  hasOpenFiles: true,
  cursor: null,
  language: null,
  following: null,
})

describe('saveLabel', () => {
  it('says Saved only when every edit is acknowledged on a live connection', () => {
    expect(saveLabel(props({}))).toBe('Saved')
    expect(saveLabel(props({ unsynced: 2 }))).toBe('Saving…')
    expect(saveLabel(props({ synced: false }))).toBe('Saving…')
    expect(saveLabel(props({ status: 'reconnecting' }))).toBe('Not connected')
  })

  it('says where unacknowledged edits are kept while not connected', () => {
    expect(saveLabel(props({ status: 'offline', unsynced: 1 }))).toBe('Offline: 1 edit kept on this device')
    expect(saveLabel(props({ status: 'reconnecting', unsynced: 3 }))).toBe(
      'Offline: 3 edits kept on this device',
    )
    expect(saveLabel(props({ status: 'offline', unsynced: 2, keeping: true }))).toBe(
      'Offline: keeping 2 edits on this device…',
    )
    expect(saveLabel(props({ status: 'offline', unsynced: 1, localCopies: false }))).toMatch(/Unsaved/)
    expect(saveLabel(props({ status: 'offline', fromLocalCopy: true }))).toBe(
      'Offline: showing the copy kept on this device',
    )
  })

  it('never says Saved to a reviewer', () => {
    expect(saveLabel(props({}, true))).toBe('Read-only')
  })
})

describe('indexingLabel', () => {
  it('counts the files waiting for the search index, and is silent otherwise', () => {
    expect(indexingLabel(3)).toBe('Indexing 3 files…')
    expect(indexingLabel(1)).toBe('Indexing 1 file…')
    expect(indexingLabel(0)).toBeNull()
    expect(indexingLabel(null)).toBeNull()
  })
})
