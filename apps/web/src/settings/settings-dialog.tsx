import { useState, type ReactNode } from 'react'
import {
  EditorTheme,
  PRESENCE_COLORS,
  RENDER_WHITESPACE,
  userSettingsSchema,
  type SettingsPatch,
} from '@mimiverse/shared'
import { Dialog } from '../ui/dialog'
import { useSettings } from './settings-context'

const themeLabels = {
  [EditorTheme.Dark]: 'Dark',
  [EditorTheme.Light]: 'Light',
  [EditorTheme.HighContrast]: 'High contrast',
} as const

type Toggle = 'insertSpaces' | 'wordWrap' | 'minimap' | 'vim'
const toggles: [Toggle, string][] = [
  ['insertSpaces', 'Insert spaces for Tab'],
  ['wordWrap', 'Word wrap'],
  ['minimap', 'Minimap'],
  ['vim', 'Vim key bindings'],
]

/** The user's settings; every change applies at once and is saved to the server (so it follows the account). */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { settings, update } = useSettings()
  const [error, setError] = useState<string | null>(null)
  const change = (patch: SettingsPatch) => {
    setError(null)
    update(patch).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  }
  return (
    <Dialog title="Settings" onClose={onClose}>
      <div className="settings-form">
        <NumberField label="Font size" field="fontSize" value={settings.fontSize} onChange={change} />
        <NumberField label="Tab size" field="tabSize" value={settings.tabSize} onChange={change} />
        <Row label="Theme">
          <select
            aria-label="Theme"
            value={settings.theme}
            onChange={(e) => change({ theme: e.target.value as EditorTheme })}
          >
            {Object.entries(themeLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Row>
        <Row label="Render white space">
          <select
            aria-label="Render white space"
            value={settings.renderWhitespace}
            onChange={(e) =>
              change({ renderWhitespace: e.target.value as (typeof RENDER_WHITESPACE)[number] })
            }
          >
            {RENDER_WHITESPACE.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </Row>
        {toggles.map(([field, label]) => (
          <label key={field} className="settings-toggle">
            <input
              type="checkbox"
              checked={settings[field]}
              onChange={(e) => change({ [field]: e.target.checked })}
            />
            {label}
          </label>
        ))}
        <fieldset className="settings-colors">
          <legend>Your colour (others see you in it; each colour is one person's per project)</legend>
          <label className="settings-color">
            <input type="radio" checked={settings.color === null} onChange={() => change({ color: null })} />
            Automatic
          </label>
          {PRESENCE_COLORS.map((c) => (
            <label key={c} className="settings-color" title={c}>
              <input
                type="radio"
                aria-label={`Colour ${c}`}
                checked={settings.color === c}
                onChange={() => change({ color: c })}
              />
              <span className="settings-swatch" style={{ background: c }} aria-hidden="true" />
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </Dialog>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="settings-row">
      <span>{label}</span>
      {children}
    </div>
  )
}

/** A number saved only when it is in range, so typing "2" on the way to "20" is not sent (or refused). */
function NumberField(props: {
  label: string
  field: 'fontSize' | 'tabSize'
  value: number
  onChange: (patch: SettingsPatch) => void
}) {
  const schema = userSettingsSchema.shape[props.field]
  const [text, setText] = useState(String(props.value))
  const valid = schema.safeParse(Number(text)).success
  return (
    <Row label={props.label}>
      <input
        type="number"
        aria-label={props.label}
        aria-invalid={!valid}
        min={schema.minValue ?? undefined}
        max={schema.maxValue ?? undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          const n = Number(e.target.value)
          if (e.target.value !== '' && schema.safeParse(n).success) props.onChange({ [props.field]: n })
        }}
      />
    </Row>
  )
}
