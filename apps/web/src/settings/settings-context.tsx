import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { DEFAULT_SETTINGS, type SettingsPatch, type UserSettings } from '@mimiverse/shared'
import { api } from '../api/trpc'
import { problemMessage } from '../api/errors'
import { SettingsDialog } from './settings-dialog'

export interface SettingsApi {
  /** The server's settings once loaded (defaults until then), with changes applied as they are made. */
  settings: UserSettings
  /**
   * Applies `patch` at once and saves it; when the server refuses, the change is undone and the promise
   * rejects with the server's message (a colour another member has, a value out of range).
   */
  update: (patch: SettingsPatch) => Promise<void>
  openDialog: () => void
}

const SettingsContext = createContext<SettingsApi | null>(null)

/**
 * The signed-in user's settings, read from the server when the app starts (so another device's changes show
 * after a reload) and the Settings dialog, which every page can open (`openDialog`).
 */
export function SettingsProvider({ children }: { children: ReactNode }) {
  const [settings, setSettings] = useState<UserSettings>(DEFAULT_SETTINGS)
  const [open, setOpen] = useState(false)
  useEffect(() => {
    let current = true
    api.settings.get.query().then(
      (s) => current && setSettings(s),
      // Defaults keep the IDE usable; the dialog shows the problem on the next change.
      () => {},
    )
    return () => {
      current = false
    }
  }, [])
  const update = useCallback(async (patch: SettingsPatch) => {
    let before: UserSettings = DEFAULT_SETTINGS
    setSettings((s) => ((before = s), { ...s, ...patch }))
    try {
      setSettings(await api.settings.update.mutate(patch))
    } catch (e: unknown) {
      setSettings(before)
      throw new Error(problemMessage(e))
    }
  }, [])
  const value = useMemo(() => ({ settings, update, openDialog: () => setOpen(true) }), [settings, update])
  return (
    <SettingsContext.Provider value={value}>
      {children}
      {open && <SettingsDialog onClose={() => setOpen(false)} />}
    </SettingsContext.Provider>
  )
}

export function useSettings(): SettingsApi {
  const value = useContext(SettingsContext)
  if (!value) throw new Error('useSettings outside <SettingsProvider>')
  return value
}
